#include "agent/builtin_tools.hpp"

#include <algorithm>
#include <array>

namespace cowork::kernel::agent::builtin {
namespace {

const std::array<std::string, 5> kStatuses{"pending", "in_progress", "completed", "failed", "skipped"};

bool valid_status(const std::string& s) { return std::find(kStatuses.begin(), kStatuses.end(), s) != kStatuses.end(); }

Json status_enum() { return Json(std::vector<std::string>(kStatuses.begin(), kStatuses.end())); }

}  // namespace

bool is_builtin(const std::string& tool) { return tool == kPlan || tool == kUpdateStep || tool == kRequestUserInput; }

Json specs() {
    return Json::array({
        {{"name", kPlan},
         {"description", "Write or revise the plan for this task: the remaining steps in order. Call again to revise."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"description", {{"type", "string"}}},
             {"steps",
              {{"type", "array"},
               {"items",
                {{"type", "object"},
                 {"properties", {{"description", {{"type", "string"}}}, {"status", {{"type", "string"}, {"enum", status_enum()}}}}},
                 {"required", {"description"}}}}}}}},
           {"required", {"steps"}}}}},
        {{"name", kUpdateStep},
         {"description", "Mark a plan step (1-based) as in_progress, completed, failed or skipped."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"step", {{"type", "integer"}, {"minimum", 1}}},
             {"status", {{"type", "string"}, {"enum", status_enum()}}},
             {"note", {{"type", "string"}}}}},
           {"required", {"step", "status"}}}}},
        {{"name", kRequestUserInput},
         {"description", "Ask the user a question and wait for the answer. Only when you cannot proceed without it."},
         {"inputSchema",
          {{"type", "object"}, {"properties", {{"question", {{"type", "string"}}}}}, {"required", {"question"}}}}},
    });
}

Result<std::string> set_plan(Json& plan, const Json& args) {
    if (!args.contains("steps") || !args["steps"].is_array() || args["steps"].empty())
        return make_error("INVALID_PARAMS", "cowork.plan needs steps: [{description}]");
    Json steps = Json::array();
    int n = 0;
    for (const auto& s : args["steps"]) {
        const std::string d = s.is_object() ? s.value("description", "") : (s.is_string() ? s.get<std::string>() : "");
        if (d.empty()) return make_error("INVALID_PARAMS", "every step needs a description");
        std::string status = s.is_object() ? s.value("status", "pending") : "pending";
        if (!valid_status(status)) status = "pending";
        steps.push_back({{"id", ++n}, {"description", d}, {"status", status}});
    }
    const bool revised = !plan.is_null();
    plan = {{"description", args.value("description", "")}, {"steps", steps}};
    return std::string(revised ? "Plan revised: " : "Plan recorded: ") + std::to_string(n) + " steps.";
}

Result<std::string> update_step(Json& plan, const Json& args) {
    if (plan.is_null()) return make_error("INVALID_PARAMS", "there is no plan yet; call cowork.plan first");
    const int step = args.value("step", 0);
    const std::string status = args.value("status", "");
    if (!valid_status(status)) return make_error("INVALID_PARAMS", "status must be pending, in_progress, completed, failed or skipped");
    auto& steps = plan["steps"];
    if (step < 1 || step > static_cast<int>(steps.size()))
        return make_error("INVALID_PARAMS", "step must be between 1 and " + std::to_string(steps.size()));
    steps[step - 1]["status"] = status;
    if (args.contains("note")) steps[step - 1]["note"] = args["note"];
    return "Step " + std::to_string(step) + " is " + status + ".";
}

}  // namespace cowork::kernel::agent::builtin
