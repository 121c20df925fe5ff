#include "dispatcher.hpp"

#include "pagination.hpp"
#include "rpc_error.hpp"

#include <cowork/sdk/error.hpp>

namespace cowork::mcp {
namespace {

constexpr size_t kMaxCompletionValues = 100;  // the spec's cap per response

// A tool event from the kernel (cowork.tool-provider/1 events) as the MCP
// notification it stands for, or null.
Json notification_for(const Json& event, const Json& progress_token, const Session& session) {
    const std::string type = event.value("type", "");
    if (type == "progress" && !progress_token.is_null()) {
        Json p{{"progressToken", progress_token}, {"progress", event.value("progress", 0.0)}};
        // Tools report a fraction (tools/common) or progress/total.
        p["total"] = event.contains("total") ? event["total"] : Json(1.0);
        if (event.contains("message")) p["message"] = event["message"];
        return notification("notifications/progress", p);
    }
    if (type == "log") {
        const std::string level = event.value("level", "info");
        const int rank = log_level_rank(level);
        if (rank < 0 || !session.logs_at(rank)) return nullptr;
        Json p{{"level", level}, {"data", event.value("data", Json(""))}};
        if (event.contains("logger")) p["logger"] = event["logger"];
        return notification("notifications/message", p);
    }
    return nullptr;
}

}  // namespace

std::string required_string(const Json& params, const char* key) {
    if (!params.contains(key) || !params[key].is_string())
        throw RpcError(kInvalidParams, std::string("params.") + key + " must be a string");
    return params[key].get<std::string>();
}

Json Dispatcher::initialize_result(const std::string& version) const {
    return {{"protocolVersion", version},
            {"capabilities",
             {{"tools", {{"listChanged", true}}},
              {"resources", {{"subscribe", true}, {"listChanged", false}}},
              {"prompts", {{"listChanged", false}}},
              {"logging", Json::object()},
              {"completions", Json::object()}}},
            {"serverInfo", {{"name", "cowork"}, {"title", "CoWork"}, {"version", version_}}},
            {"instructions",
             "CoWork exposes its tools (policy-gated), its workspaces and tasks as cowork:// resources, and its "
             "skills as prompts. Tools run in a workspace: pass cowork_workspace (an id from cowork://workspaces)."}};
}

std::optional<Json> Dispatcher::handle(Session& session, const Message& m, const Related& related) const {
    if (m.kind == Kind::notification) {
        notify(session, m);
        return std::nullopt;
    }
    if (m.kind == Kind::response) {
        // An answer to one of our requests (elicitation, sampling); stray ids are ignored.
        (void)session.deliver(m.id, m.result, m.error);
        return std::nullopt;
    }
    if (m.kind == Kind::invalid) return error(m.id, kInvalidRequest, "invalid request: " + m.problem);
    session.touch();
    auto flag = session.begin_request(m.id);
    std::optional<Json> out;
    try {
        out = result(m.id, call(session, m, related));
    } catch (const RpcError& e) {
        out = error(m.id, e.code(), e.what(), e.data());
    } catch (const sdk::Error& e) {
        out = error(m.id, kInternalError, e.what(), {{"code", e.code()}});
    } catch (const std::exception& e) {
        out = error(m.id, kInternalError, std::string("internal error: ") + e.what());
    }
    session.end_request(m.id);
    if (*flag) return std::nullopt;
    return out;
}

Json Dispatcher::call(Session& session, const Message& m, const Related& related) const {
    const Json& p = m.params;
    const Identity& who = session.identity();
    if (m.method == "initialize") {
        const std::string asked = p.value("protocolVersion", "");
        const std::string version = supported_version(asked) ? asked : kProtocolVersions.front();
        session.initialize(version, p.value("capabilities", Json::object()));
        return initialize_result(version);
    }
    if (m.method == "ping") return Json::object();
    if (!session.initialized()) throw RpcError(kInvalidRequest, "send initialize first");
    if (m.method == "tools/list") return paginate(catalogs_.tools.list(who), p, page_size_, "tools");
    if (m.method == "tools/call") return call_tool(session, m, related);
    if (m.method == "resources/list") return paginate(catalogs_.resources.list(who), p, page_size_, "resources");
    if (m.method == "resources/templates/list")
        return paginate(catalogs_.resources.templates(who), p, page_size_, "resourceTemplates");
    if (m.method == "resources/read") return catalogs_.resources.read(who, required_string(p, "uri"));
    if (m.method == "resources/subscribe") {
        session.subscribe(required_string(p, "uri"));
        return Json::object();
    }
    if (m.method == "resources/unsubscribe") {
        session.unsubscribe(required_string(p, "uri"));
        return Json::object();
    }
    if (m.method == "prompts/list") return paginate(catalogs_.prompts.list(who), p, page_size_, "prompts");
    if (m.method == "prompts/get")
        return catalogs_.prompts.get(who, required_string(p, "name"), p.value("arguments", Json::object()));
    if (m.method == "logging/setLevel") {
        const int rank = log_level_rank(required_string(p, "level"));
        if (rank < 0) throw RpcError(kInvalidParams, "unknown log level; use debug, info, notice, warning, error, critical, alert or emergency");
        session.set_log_level(rank);
        return Json::object();
    }
    if (m.method == "completion/complete") return complete(session, p);
    throw RpcError(kMethodNotFound, "method not found: " + m.method);
}

Json Dispatcher::call_tool(Session& session, const Message& m, const Related& related) const {
    const std::string name = required_string(m.params, "name");
    const Json token = m.params.contains("_meta") && m.params["_meta"].is_object()
                           ? m.params["_meta"].value("progressToken", Json())
                           : Json();
    const Identity& who = session.identity();
    const ToolCatalog& tools = catalogs_.tools;
    CallLink link;
    link.call_id = session.id() + "/" + m.id.dump();
    for (const char* kind : {"elicitation", "sampling"})
        if (session.client_supports(kind)) link.answers.push_back(kind);
    link.on_event = [&](const Json& event) {
        if (Json n = notification_for(event, token, session); !n.is_null() && related) related(n);
    };
    link.on_question = [&](const Json& q) { ask_client(session, who, link.call_id, q, related); };
    session.on_cancel(m.id, [&tools, &who, call_id = link.call_id] { tools.cancel(who, call_id); });
    return tools.call(who, name, m.params.value("arguments", Json::object()), link);
}

// A running tool's question, as the MCP request it stands for, sent on the
// call's own stream (the spec wants server requests related to a client
// request on that request's stream). The client's response comes back as a
// separate message; handle() hands it to the session, which runs the
// callback below.
void Dispatcher::ask_client(Session& session, const Identity& who, const std::string& call_id, const Json& question,
                            const Related& related) const {
    const std::string kind = question.value("kind", "");
    const std::string question_id = question.value("requestId", "");
    const ToolCatalog& tools = catalogs_.tools;
    const char* method = kind == "sampling" ? "sampling/createMessage" : "elicitation/create";
    const Json request = session.send_request(method, question.value("params", Json::object()),
                                              [&tools, who, call_id, question_id](const Json& result, const Json& error) {
                                                  tools.respond(who, call_id, question_id, result, error);
                                              });
    if (request.is_null()) {
        tools.respond(who, call_id, question_id, nullptr,
                      {{"message", "the MCP client has too many unanswered requests"}});
        return;
    }
    const bool sent = related ? (related(request), true) : session.push(request);
    if (!sent) {
        session.forget_request(request["id"]);
        tools.respond(who, call_id, question_id, nullptr,
                      {{"message", "the MCP client has no open stream to receive " + std::string(method)}});
    }
}

Json Dispatcher::complete(Session& session, const Json& p) const {
    const Json ref = p.value("ref", Json::object());
    const Json arg = p.value("argument", Json::object());
    const std::string type = ref.value("type", "");
    const std::string name = arg.value("name", "");
    const std::string value = arg.value("value", "");
    Json values;
    if (type == "ref/prompt") values = catalogs_.prompts.complete(session.identity(), required_string(ref, "name"), name, value);
    else if (type == "ref/resource") values = catalogs_.resources.complete(session.identity(), required_string(ref, "uri"), name, value);
    else throw RpcError(kInvalidParams, "ref.type must be \"ref/prompt\" or \"ref/resource\"");
    const size_t total = values.size();
    if (values.size() > kMaxCompletionValues) values.erase(values.begin() + kMaxCompletionValues, values.end());
    return {{"completion", {{"values", values}, {"total", total}, {"hasMore", total > values.size()}}}};
}

void Dispatcher::notify(Session& session, const Message& m) const {
    if (m.method == "notifications/cancelled" && m.params.contains("requestId")) session.cancel(m.params["requestId"]);
    // notifications/initialized, roots/list_changed, progress: nothing to do.
}

}  // namespace cowork::mcp
