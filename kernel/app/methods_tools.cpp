// API methods over tool plugins: list every tool (namespaced by plugin id)
// and call one. Both go through agent::ToolRegistry, the one tool path the
// agent loop uses too (schema validation, policy, output cap); here an
// `ask` is answered by the operator's explicit `approve: true`.
#include "app/kernel_impl.hpp"

#include "storage/audit_log.hpp"

#include <cowork/sdk/error.hpp>

#include <filesystem>

namespace cowork::kernel::app {
namespace {

Result<std::string> workspace_param(const Json& params) {
    std::error_code ec;
    const std::filesystem::path dir = params.value("workspace", std::filesystem::current_path(ec).string());
    auto canonical = std::filesystem::canonical(dir, ec);
    if (ec || !std::filesystem::is_directory(canonical))
        return make_error(api::kInvalidParams, "workspace " + dir.string() + " is not an existing directory");
    return canonical.string();
}

Result<Json> call_tool(Kernel::Impl& k, const api::Caller& caller, const Json& params) {
    auto workspace = workspace_param(params);
    if (!workspace) return workspace.error();
    agent::ToolContext ctx;
    ctx.workspace = *workspace;
    ctx.caller = {caller.role, caller.scopes};
    const std::string id = params.value("tool", "");
    auto prepared = k.tools->prepare(id, params.value("arguments", Json::object()), ctx);
    if (!prepared) return prepared.error();
    if (prepared->decision.verdict == policy::Verdict::ask) {
        if (!params.value("approve", false) || !caller.has_scope(api::kScopeApprove))
            return make_error("APPROVAL_REQUIRED",
                              "policy asks before " + id + ": " + prepared->decision.reason +
                                  " (approve this call with --approve)",
                              prepared->decision.to_json());
        // The operator's explicit approval is itself an audited decision.
        (void)storage::AuditLog(*k.db).append({0, 0, caller.id, "tool.approve", id, "allow", "operator-approval",
                                               {{"reason", prepared->decision.reason}}});
    }
    const auto call_id = "cli-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    auto outcome = k.tools->execute(*prepared, call_id);
    if (outcome.status != COWORK_OK)
        return make_error(api::kMethodFailed, outcome.text, {{"status", sdk::status_name(outcome.status)}});
    // Rich parts (images, audio, resources) when the tool gave them within
    // the size cap; otherwise the capped text the model would see.
    const Json content = outcome.content.empty() ? Json::array({{{"type", "text"}, {"text", outcome.text}}}) : outcome.content;
    Json out{{"content", content}, {"isError", outcome.is_error}};
    if (!outcome.raw_events.empty()) out["events"] = outcome.raw_events;
    return out;
}

}  // namespace

void register_tool_methods(Kernel::Impl& k) {
    using namespace api;
    (void)k.api.add({"tool.list", kScopeRead, false, "tools offered by running plugins, namespaced by plugin id"},
                    [&k](const Caller&, const Json&) -> Result<Json> {
                        Json out = Json::array();
                        for (const auto& t : k.tools->list()) {
                            Json spec = t.spec;
                            spec["id"] = t.id;
                            spec["plugin"] = t.plugin_id;
                            out.push_back(std::move(spec));
                        }
                        return out;
                    });
    (void)k.api.add({"tool.call", kScopeWrite, true, "call one tool; policy applies (ask needs approve: true)"},
                    [&k](const Caller& c, const Json& p) { return call_tool(k, c, p); });
}

}  // namespace cowork::kernel::app
