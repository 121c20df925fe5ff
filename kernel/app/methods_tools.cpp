// API methods over tool plugins: list every tool (namespaced by plugin id)
// and call one. Both go through agent::ToolRegistry, the one tool path the
// agent loop uses too (schema validation, policy, output cap); here an
// `ask` is answered by the operator's explicit `approve: true`.
#include "app/kernel_impl.hpp"

#include "agent/stream_responder.hpp"
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

constexpr size_t kMaxCallIdLength = 128;

// A caller-chosen callId lives in the caller's own namespace, so two callers
// cannot collide or reach each other's calls; without one the kernel picks.
Result<std::string> call_id_param(const api::Caller& caller, const Json& params) {
    if (!params.contains("callId"))
        return "api-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    if (!params["callId"].is_string() || params["callId"].get<std::string>().empty() ||
        params["callId"].get<std::string>().size() > kMaxCallIdLength)
        return make_error(api::kInvalidParams, "callId must be a non-empty string of at most 128 characters");
    return caller.id + "#" + params["callId"].get<std::string>();
}

// The kinds of question (elicitation, sampling) the caller can answer while
// its call runs; it answers them with tool.respond.
std::set<std::string> answers_param(const Json& params) {
    std::set<std::string> kinds;
    for (const auto& k : params.value("answers", Json::array()))
        if (k.is_string()) kinds.insert(k.get<std::string>());
    return kinds;
}

agent::CallHooks hooks_for(const api::Caller& caller, const Json& params, const api::EventSink& events) {
    agent::CallHooks hooks;
    hooks.owner = caller.id;
    if (!events) return hooks;  // a caller that does not listen gets the events with the result
    hooks.on_event = [events](const Json& e) { events({{"type", "event"}, {"event", e}}); };
    hooks.responder = std::make_shared<agent::StreamResponder>(events, answers_param(params), caller.id);
    return hooks;
}

Result<Json> call_tool(Kernel::Impl& k, const api::Caller& caller, const Json& params, const api::EventSink& events) {
    auto workspace = workspace_param(params);
    if (!workspace) return workspace.error();
    agent::ToolContext ctx;
    ctx.workspace = *workspace;
    ctx.caller = {caller.role, caller.scopes};
    // MCP clients are judged by [[policy.contexts.mcp]] rules on top of the rest.
    if (caller.transport == "mcp") ctx.context = policy::Context::mcp;
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
    auto call_id = call_id_param(caller, params);
    if (!call_id) return call_id.error();
    auto outcome = k.tools->execute(*prepared, *call_id, hooks_for(caller, params, events));
    if (outcome.status != COWORK_OK)
        return make_error(api::kMethodFailed, outcome.text, {{"status", sdk::status_name(outcome.status)}});
    // Rich parts (images, audio, resources) when the tool gave them within
    // the size cap; otherwise the capped text the model would see.
    const Json content = outcome.content.empty() ? Json::array({{{"type", "text"}, {"text", outcome.text}}}) : outcome.content;
    Json out{{"content", content}, {"isError", outcome.is_error}};
    if (!events && !outcome.raw_events.empty()) out["events"] = outcome.raw_events;
    return out;
}

// tool.respond {callId, requestId, result} or {callId, requestId, error: {message}}
Result<Json> respond(Kernel::Impl& k, const api::Caller& caller, const Json& p) {
    auto call_id = call_id_param(caller, p);
    if (!call_id || !p.contains("callId")) return make_error(api::kInvalidParams, "tool.respond needs callId (the one given to tool.call)");
    const std::string request_id = p.value("requestId", "");
    if (request_id.empty()) return make_error(api::kInvalidParams, "tool.respond needs requestId (from the request event)");
    Result<Json> answer = p.contains("error")
                              ? Result<Json>(make_error(api::kMethodFailed, p["error"].is_object() ? p["error"].value("message", "the caller refused")
                                                                                                    : "the caller refused"))
                              : Result<Json>(p.value("result", Json::object()));
    auto st = k.tools->running().respond(caller.id, *call_id, request_id, std::move(answer));
    if (!st) return st.error();
    return Json{{"ok", true}};
}

// tool.request {callId, kind, params, timeoutMs}: a plugin's running tool asks
// whoever started its call. The caller is the plugin itself ("plugin:<id>").
Result<Json> request(Kernel::Impl& k, const api::Caller& caller, const Json& p) {
    const std::string prefix = "plugin:";
    if (caller.id.rfind(prefix, 0) != 0)
        return make_error(api::kUnauthorized, "tool.request is for tool plugins asking about their own running call");
    const std::string call_id = p.value("callId", "");
    const std::string kind = p.value("kind", "");
    if (call_id.empty() || kind.empty())
        return make_error(api::kInvalidParams, "tool.request needs callId (from call_tool's input) and kind (elicitation or sampling)");
    agent::ToolQuestion q{kind, p.value("params", Json::object()),
                          std::chrono::milliseconds(p.value("timeoutMs", int64_t{300000}))};
    return k.tools->running().ask(caller.id.substr(prefix.size()), call_id, std::move(q));
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
    (void)k.api.add_streaming({"tool.call", kScopeWrite, true, "call one tool; policy applies (ask needs approve: true)"},
                              [&k](const Caller& c, const Json& p, const EventSink& e) { return call_tool(k, c, p, e); });
    (void)k.api.add({"tool.cancel", kScopeWrite, false, "cancel your own running tool.call by its callId"},
                    [&k](const Caller& c, const Json& p) -> Result<Json> {
                        auto id = call_id_param(c, p);
                        if (!id || !p.contains("callId")) return make_error(kInvalidParams, "tool.cancel needs callId (the one given to tool.call)");
                        auto st = k.tools->running().cancel(c.id, *id);
                        if (!st) return st.error();
                        return Json{{"cancelled", true}};
                    });
    (void)k.api.add({"tool.respond", kScopeWrite, false, "answer a question your running tool.call put to you"},
                    [&k](const Caller& c, const Json& p) { return respond(k, c, p); });
    (void)k.api.add({"tool.request", kScopeRead, false, "a running tool asks whoever started its call (elicitation, sampling)"},
                    [&k](const Caller& c, const Json& p) { return request(k, c, p); });
}

}  // namespace cowork::kernel::app
