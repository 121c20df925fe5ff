// API methods over tool plugins: list every tool (namespaced by plugin id)
// and call one through the policy engine. The agent runtime calls tools
// the same way; this is the direct path for operators and scripts.
#include "app/kernel_impl.hpp"

#include "core/log.hpp"
#include "plugins/json_schema.hpp"

#include <cowork/sdk/sink.hpp>

#include <filesystem>

namespace cowork::kernel::app {
namespace {

struct ToolRef {
    std::string id;  // "<plugin id>.<tool name>"
    std::string plugin_id;
    const cowork_tool_provider_v1* table = nullptr;
    Json spec;
};

Result<Json> call_slot(cowork_json_fn fn, void* self, const Json& in, Json* events = nullptr) {
    sdk::Collector c([events](std::string_view e) {
        if (!events || events->size() >= 200) return;
        auto j = Json::parse(e, nullptr, false);
        if (!j.is_discarded()) events->push_back(std::move(j));
    });
    const std::string text = in.dump();
    const cowork_status st = fn(self, text.data(), text.size(), c.sink());
    if (st != COWORK_OK) {
        const Json err = c.json();
        return make_error(api::kMethodFailed, err.is_object() ? err.value("message", "tool call failed") : "tool call failed",
                          {{"status", sdk::status_name(st)}});
    }
    Json out = c.json();
    if (out.is_discarded()) return make_error(api::kMethodFailed, "the plugin returned malformed JSON");
    return out;
}

std::vector<ToolRef> collect_tools(Kernel::Impl& k) {
    std::vector<ToolRef> tools;
    for (const auto& [plugin_id, iface] : k.plugins->find_interfaces(COWORK_IFACE_TOOL_PROVIDER)) {
        auto* t = static_cast<const cowork_tool_provider_v1*>(iface);
        if (t->struct_size < sizeof(cowork_tool_provider_v1)) continue;
        auto listed = call_slot(t->list_tools, t->self, Json::object());
        if (!listed || !listed->contains("tools") || !(*listed)["tools"].is_array()) {
            logger()->warn("plugin {} did not list its tools: {}", plugin_id,
                           listed ? "no tools array" : listed.error().message);
            continue;
        }
        for (const auto& spec : (*listed)["tools"]) {
            const std::string name = spec.value("name", "");
            if (name.empty()) continue;
            tools.push_back({plugin_id + "." + name, plugin_id, t, spec});
        }
    }
    return tools;
}

// What a tool's annotations say it does, for the workspace layer.
policy::Effects effects_of(const Json& annotations) {
    const std::string approval = annotations.value("approval", "none");
    policy::Effects e;
    e.read = true;
    e.write = approval == "write";
    e.del = approval == "delete";
    e.shell = approval == "exec";
    e.network = approval == "network";
    return e;
}

policy::Request request_for(const ToolRef& tool, const Json& args, const api::Caller& caller) {
    const Json& ann = tool.spec.value("annotations", Json::object());
    policy::Request r;
    r.kind = policy::RequestKind::tool;
    r.tool_id = tool.id;
    r.plugin_id = tool.plugin_id;
    r.read_only = ann.value("readOnly", false);
    r.effects = effects_of(ann);
    r.caller = {caller.role, caller.scopes};
    if (args.contains("path") && args["path"].is_string()) r.target.path = args["path"].get<std::string>();
    if (args.contains("command") && args["command"].is_string()) r.target.command = args["command"].get<std::string>();
    if (args.contains("url") && args["url"].is_string()) r.target.url = args["url"].get<std::string>();
    return r;
}

Result<std::string> workspace_param(const Json& params) {
    std::error_code ec;
    const std::filesystem::path dir = params.value("workspace", std::filesystem::current_path(ec).string());
    auto canonical = std::filesystem::canonical(dir, ec);
    if (ec || !std::filesystem::is_directory(canonical))
        return make_error(api::kInvalidParams, "workspace " + dir.string() + " is not an existing directory");
    return canonical.string();
}

Result<Json> call_tool(Kernel::Impl& k, const api::Caller& caller, const Json& params) {
    const std::string id = params.value("tool", "");
    const Json args = params.value("arguments", Json::object());
    auto tools = collect_tools(k);
    auto it = std::find_if(tools.begin(), tools.end(), [&](const ToolRef& t) { return t.id == id; });
    if (it == tools.end()) return make_error(api::kInvalidParams, "no tool '" + id + "' (see `cowork tools list`)");
    if (auto schema = plugins::JsonSchema::compile(it->spec.value("inputSchema", Json::object()))) {
        const auto problems = schema->validate(args);
        if (!problems.empty()) {
            Json list = Json::array();
            for (const auto& p : problems) list.push_back(p.pointer + ": " + p.message);
            return make_error(api::kInvalidParams, "arguments do not match " + id + "'s schema: " + list[0].get<std::string>(),
                              {{"problems", list}});
        }
    }
    const auto decision = k.policy->evaluate(request_for(*it, args, caller));
    if (decision.verdict == policy::Verdict::deny)
        return make_error("POLICY_DENIED", "policy denies " + id + ": " + decision.reason, decision.to_json());
    if (decision.verdict == policy::Verdict::ask) {
        if (!params.value("approve", false) || !caller.has_scope(api::kScopeApprove))
            return make_error("APPROVAL_REQUIRED",
                              "policy asks before " + id + ": " + decision.reason + " (approve this call with --approve)",
                              decision.to_json());
        // The operator's explicit approval is itself an audited decision.
        (void)storage::AuditLog(*k.db).append({0, 0, caller.id, "tool.approve", id, "allow", "operator-approval",
                                               {{"reason", decision.reason}}});
    }
    auto workspace = workspace_param(params);
    if (!workspace) return workspace.error();
    Json request{{"callId", "cli-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count())},
                 {"name", it->spec.value("name", "")},
                 {"arguments", args},
                 {"context", {{"taskId", ""}, {"workspace", *workspace}, {"allowedRoots", Json::array()}}}};
    Json events = Json::array();
    auto result = call_slot(it->table->call_tool, it->table->self, request, &events);
    if (!result) return result.error();
    Json out = *result;
    if (!events.empty()) out["events"] = events;
    return out;
}

}  // namespace

void register_tool_methods(Kernel::Impl& k) {
    using namespace api;
    (void)k.api.add({"tool.list", kScopeRead, false, "tools offered by running plugins, namespaced by plugin id"},
                    [&k](const Caller&, const Json&) -> Result<Json> {
                        Json out = Json::array();
                        for (const auto& t : collect_tools(k)) {
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
