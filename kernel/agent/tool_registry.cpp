#include "agent/tool_registry.hpp"

#include "agent/output_cap.hpp"
#include "core/log.hpp"
#include "plugins/json_schema.hpp"

#include <cowork/sdk/sink.hpp>

#include <filesystem>
#include <optional>
#include <set>

namespace cowork::kernel::agent {
namespace {

constexpr const char* kInvalidParams = "INVALID_PARAMS";

struct SlotResult {
    cowork_status status = COWORK_OK;
    Json out;
};

SlotResult call_slot(cowork_json_fn fn, void* self, const Json& in, Json* events = nullptr,
                     const std::function<void(const Json&)>& on_event = {}) {
    sdk::Collector c([events, &on_event](std::string_view e) {
        if (!events && !on_event) return;
        auto j = Json::parse(e, nullptr, false);
        if (j.is_discarded()) return;
        if (on_event) on_event(j);
        if (events && events->size() < 200) events->push_back(std::move(j));
    });
    const std::string text = in.dump(-1, ' ', false, Json::error_handler_t::replace);
    const cowork_status st = fn(self, text.data(), text.size(), c.sink());
    return {st, c.json()};
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

std::string string_arg(const Json& args, const char* key) {
    return args.contains(key) && args[key].is_string() ? args[key].get<std::string>() : "";
}

// Policy path rules match lexically: give them the absolute path the tool will touch.
std::string resolved_path(const std::string& workspace, const std::string& path) {
    if (path.empty()) return path;
    std::filesystem::path p(path);
    if (p.is_relative() && !workspace.empty()) p = std::filesystem::path(workspace) / p;
    return p.lexically_normal().string();
}

std::string text_of(const Json& result) {
    std::string text;
    if (result.contains("content") && result["content"].is_array()) {
        for (const auto& part : result["content"])
            if (part.is_object() && part.value("type", "") == "text") {
                if (!text.empty()) text += "\n";
                text += part.value("text", "");
            }
    } else if (!result.is_null()) {
        text = result.dump();
    }
    return text;
}

// The parts API callers may pass on as they are: MCP's content types.
Json content_parts_of(const Json& result) {
    static const std::set<std::string> kKnown{"text", "image", "audio", "resource", "resource_link"};
    if (!result.is_object() || !result.contains("content") || !result["content"].is_array()) return Json::array();
    for (const auto& part : result["content"])
        if (!part.is_object() || !kKnown.contains(part.value("type", ""))) return Json::array();
    if (result["content"].dump().size() > kMaxContentBytes) return Json::array();
    return result["content"];
}

}  // namespace

bool ToolRef::read_only() const {
    const Json ann = spec.value("annotations", Json::object());
    return ann.is_object() && ann.value("readOnly", false);
}

Json ToolRef::llm_spec() const {
    return {{"name", id},
            {"description", spec.value("description", "")},
            {"inputSchema", spec.value("inputSchema", Json{{"type", "object"}})}};
}

policy::WorkspacePermissions workspace_permissions_from_json(const Json& j) {
    policy::WorkspacePermissions w;
    if (!j.is_object()) return w;
    w.read = j.value("read", true);
    w.write = j.value("write", false);
    w.del = j.value("delete", false);
    w.shell = j.value("shell", false);
    w.network = j.value("network", false);
    if (j.contains("allowedPaths") && j["allowedPaths"].is_array())
        for (const auto& p : j["allowedPaths"])
            if (p.is_string()) w.allowed_paths.push_back(p.get<std::string>());
    return w;
}

ToolRegistry::ToolRegistry(InterfaceFinder finder, policy::PolicyEngine& policy, size_t output_cap_bytes)
    : finder_(std::move(finder)), policy_(policy), output_cap_(output_cap_bytes) {}

namespace {

// One provider's tools, appended to `out`; a provider that does not list
// them is logged and skipped.
void append_tools(const std::string& plugin_id, const void* iface, std::vector<ToolRef>& out) {
    auto* t = static_cast<const cowork_tool_provider_v1*>(iface);
    if (!t || t->struct_size < sizeof(cowork_tool_provider_v1)) return;
    auto listed = call_slot(t->list_tools, t->self, Json::object());
    if (listed.status != COWORK_OK || !listed.out.is_object() || !listed.out.contains("tools") ||
        !listed.out["tools"].is_array()) {
        logger()->warn("plugin {} did not list its tools", plugin_id);
        return;
    }
    for (const auto& spec : listed.out["tools"]) {
        const std::string name = spec.is_object() ? spec.value("name", "") : "";
        if (name.empty()) continue;
        out.push_back({plugin_id + "." + name, plugin_id, name, t, spec});
    }
}

}  // namespace

std::vector<ToolRef> ToolRegistry::list() const {
    std::vector<ToolRef> tools;
    for (const auto& [plugin_id, iface] : finder_(COWORK_IFACE_TOOL_PROVIDER)) append_tools(plugin_id, iface, tools);
    return tools;
}

Result<ToolRef> ToolRegistry::find(const std::string& id) const {
    // Every call resolves its tool here: ask only the providers whose id
    // prefixes the tool id ("<plugin id>.<name>"), not every plugin.
    std::vector<ToolRef> tools;
    for (const auto& [plugin_id, iface] : finder_(COWORK_IFACE_TOOL_PROVIDER))
        if (id.size() > plugin_id.size() && id.compare(0, plugin_id.size(), plugin_id) == 0 && id[plugin_id.size()] == '.')
            append_tools(plugin_id, iface, tools);
    for (auto& t : tools)
        if (t.id == id) return std::move(t);
    return make_error(kInvalidParams, "no tool '" + id + "' (see `cowork tools list`)");
}

policy::Request ToolRegistry::policy_request(const ToolRef& tool, const Json& args, const ToolContext& ctx) const {
    const Json ann = tool.spec.value("annotations", Json::object());
    policy::Request r;
    r.kind = policy::RequestKind::tool;
    r.tool_id = tool.id;
    r.plugin_id = tool.plugin_id;
    r.read_only = tool.read_only();
    r.effects = effects_of(ann.is_object() ? ann : Json::object());
    r.caller = ctx.caller;
    r.context = ctx.context;
    if (!ctx.workspace_permissions.is_null()) {
        r.has_workspace = true;
        r.workspace_id = ctx.workspace_id;
        r.workspace = workspace_permissions_from_json(ctx.workspace_permissions);
    }
    r.target.path = resolved_path(ctx.workspace, string_arg(args, "path"));
    r.target.command = string_arg(args, "command");
    r.target.url = string_arg(args, "url");
    return r;
}

Result<PreparedCall> ToolRegistry::prepare(const std::string& id, const Json& arguments, const ToolContext& ctx) const {
    auto tool = find(id);
    if (!tool) return tool.error();
    return prepare(*tool, arguments, ctx);
}

Result<PreparedCall> ToolRegistry::prepare(const ToolRef& ref, const Json& arguments, const ToolContext& ctx) const {
    const std::optional<ToolRef> tool = ref;
    const std::string& id = ref.id;
    const Json args = arguments.is_object() ? arguments : Json::object();
    if (auto schema = plugins::JsonSchema::compile(tool->spec.value("inputSchema", Json::object()))) {
        const auto problems = schema->validate(args);
        if (!problems.empty()) {
            Json list = Json::array();
            for (const auto& p : problems) list.push_back(p.pointer + ": " + p.message);
            return make_error(kInvalidParams, "arguments do not match " + id + "'s schema: " + list[0].get<std::string>(),
                              {{"problems", list}});
        }
    }
    auto decision = policy_.evaluate(policy_request(*tool, args, ctx));
    if (decision.verdict == policy::Verdict::deny)
        return make_error("POLICY_DENIED", "policy denies " + id + ": " + decision.reason, decision.to_json());
    return PreparedCall{std::move(*tool), args, ctx, std::move(decision)};
}

ToolOutcome ToolRegistry::execute(const PreparedCall& call, const std::string& call_id, const CallHooks& hooks) const {
    const Json request{{"callId", call_id},
                       {"name", call.tool.name},
                       {"arguments", call.arguments},
                       {"context",
                        {{"taskId", call.context.task_id},
                         {"workspace", call.context.workspace},
                         {"allowedRoots", Json::array()}}}};
    ToolOutcome outcome;
    auto running = std::make_shared<RunningCalls::Call>();
    running->call_id = call_id;
    running->plugin_id = call.tool.plugin_id;
    running->owner = hooks.owner;
    running->responder = hooks.responder ? hooks.responder : no_responder(hooks.owner.empty() ? "the agent" : hooks.owner);
    running->cancel = [this, tool = call.tool, call_id] { cancel(tool, call_id); };
    auto registered = running_.add(running);
    if (!registered) {
        outcome.status = COWORK_E_INVALID;
        outcome.is_error = true;
        outcome.text = registered.error().message;
        return outcome;
    }
    auto r = call_slot(call.tool.table->call_tool, call.tool.table->self, request, &outcome.raw_events, hooks.on_event);
    outcome.status = r.status;
    if (r.status != COWORK_OK) {
        outcome.is_error = true;
        const std::string msg = r.out.is_object() ? r.out.value("message", "") : "";
        outcome.text = call.tool.id + " failed (" + sdk::status_name(r.status) + ")" + (msg.empty() ? "" : ": " + msg);
    } else if (r.out.is_discarded()) {
        outcome.is_error = true;
        outcome.text = call.tool.id + " returned malformed JSON";
    } else {
        outcome.is_error = r.out.is_object() && r.out.value("isError", false);
        outcome.text = text_of(r.out);
        outcome.content = content_parts_of(r.out);
    }
    outcome.text = cap_output(outcome.text, output_cap_);
    return outcome;
}

void ToolRegistry::cancel(const ToolRef& tool, const std::string& call_id) const {
    if (!tool.table || !tool.table->cancel) return;
    (void)call_slot(tool.table->cancel, tool.table->self, Json{{"callId", call_id}});
}

}  // namespace cowork::kernel::agent
