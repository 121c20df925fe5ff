#include "agent/task_spec.hpp"

namespace cowork::kernel::agent {

Json TaskSpec::created_payload() const {
    return {{"title", title},
            {"workspace", workspace},
            {"workspaceId", workspace_id},
            {"provider", model.provider},
            {"model", model.model},
            {"budget", budget.to_json()},
            {"skill", skill},
            {"params", params},
            {"caller", {{"id", caller_id}, {"role", caller.role}, {"scopes", caller.scopes}}}};
}

TaskSpec TaskSpec::from_created(const std::string& id, const std::string& prompt, const Json& p) {
    TaskSpec s;
    s.id = id;
    s.prompt = prompt;
    s.title = p.value("title", "");
    s.workspace = p.value("workspace", "");
    s.workspace_id = p.value("workspaceId", "");
    s.model = {p.value("provider", ""), p.value("model", "")};
    const Json b = p.value("budget", Json::object());
    s.budget.max_iterations = b.value("maxIterations", s.budget.max_iterations);
    s.budget.max_tokens = b.value("maxTokens", s.budget.max_tokens);
    s.budget.max_cost_usd = b.value("maxCostUsd", s.budget.max_cost_usd);
    s.budget.max_wall_time_s = b.value("maxWallTimeS", s.budget.max_wall_time_s);
    s.skill = p.value("skill", "");
    s.params = p.value("params", Json::object());
    const Json c = p.value("caller", Json::object());
    s.caller_id = c.value("id", "");
    s.caller.role = c.value("role", "");
    s.caller.scopes = c.value("scopes", std::vector<std::string>{});
    return s;
}

}  // namespace cowork::kernel::agent
