#include "endpoints.hpp"

#include "signature.hpp"
#include "template.hpp"

#include <algorithm>
#include <chrono>
#include <variant>

namespace cowork::hooks {
namespace {

constexpr size_t kMaxSessionKey = 200;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// "application/json", "application/json; charset=utf-8", "application/vnd.x+json".
bool is_json_type(const std::string& content_type) {
    std::string t = lower(content_type.substr(0, content_type.find(';')));
    while (!t.empty() && t.back() == ' ') t.pop_back();
    return t == "application/json" || (t.rfind("application/", 0) == 0 && t.size() > 5 && t.ends_with("+json"));
}

// The token from "Authorization: Bearer <t>" or "X-CoWork-Token: <t>".
std::string presented_token(const Head& h) {
    const std::string auth = h.header("authorization");
    if (auth.size() > 7 && lower(auth.substr(0, 7)) == "bearer ") {
        std::string t = auth.substr(7);
        t.erase(0, t.find_first_not_of(' '));
        return t;
    }
    return h.header("x-cowork-token");
}

// An optional string field; the error response when it has another type.
std::optional<Response> take_string(const Json& body, const char* key, std::string& out) {
    if (!body.contains(key) || body[key].is_null()) return std::nullopt;
    if (!body[key].is_string()) return failure(400, "INVALID_PARAMS", std::string(key) + " must be a string");
    out = body[key].get<std::string>();
    return std::nullopt;
}

std::variant<AgentRequest, Response> parse_agent(const Json& body) {
    AgentRequest a;
    const std::pair<const char*, std::string*> fields[] = {{"message", &a.message},     {"name", &a.name},
                                                           {"sessionKey", &a.session_key}, {"workspace", &a.workspace},
                                                           {"provider", &a.provider},     {"model", &a.model}};
    for (const auto& [key, field] : fields)
        if (auto bad = take_string(body, key, *field)) return *bad;
    if (a.workspace.empty())
        if (auto bad = take_string(body, "workspaceId", a.workspace)) return *bad;
    if (body.contains("timeoutSeconds") && !body["timeoutSeconds"].is_null()) {
        const Json& t = body["timeoutSeconds"];
        if (!t.is_number_integer() || t.get<long long>() < 1 || t.get<long long>() > 604800)
            return failure(400, "INVALID_PARAMS", "timeoutSeconds must be an integer from 1 to 604800");
        a.timeout_s = t.get<long long>();
    }
    return a;
}

}  // namespace

std::optional<Endpoints::Route> Endpoints::route(const std::string& path) const {
    if (path == "/health") return Route{Kind::health};
    const std::string& base = d_.config.base_path;
    if (path == base + "/agent") return Route{Kind::agent};
    if (path == base + "/task/message") return Route{Kind::task_message};
    if (path == base + "/approval/respond") return Route{Kind::approval};
    if (path == base + "/wake") return Route{Kind::wake};
    if (path == base + "/cron/trigger") return Route{Kind::cron_trigger};
    for (const auto& m : d_.config.mappings)
        if (m.path == path) return Route{Kind::mapping, &m};
    return std::nullopt;
}

std::optional<Response> Endpoints::admit(const Head& head) {
    const auto r = route(head.path);
    if (!r)
        return failure(404, "NOT_FOUND", "no endpoint " + head.path + "; hooks live under " + d_.config.base_path +
                                             " (see docs/hooks.md)");
    const char* allowed = r->kind == Kind::health ? "GET" : "POST";
    if (head.method != allowed) {
        Response res = failure(405, "METHOD_NOT_ALLOWED", head.path + " accepts " + allowed + " only");
        res.headers.emplace_back("Allow", allowed);
        return res;
    }
    if (r->kind == Kind::health) return std::nullopt;
    if (d_.limiter.banned(head.remote)) {
        Response res = failure(429, "RATE_LIMITED", "too many failed authentications from " + head.remote +
                                                        "; try again in " + std::to_string(d_.config.ban.count()) + " s");
        res.headers.emplace_back("Retry-After", std::to_string(d_.config.ban.count()));
        return res;
    }
    if (!is_json_type(head.header("content-type")))
        return failure(415, "UNSUPPORTED_MEDIA_TYPE",
                       "send the body as JSON with Content-Type: application/json (got \"" +
                           head.header("content-type").substr(0, 100) + "\")");
    if (head.content_length && *head.content_length > d_.config.max_body_bytes)
        return failure(413, "PAYLOAD_TOO_LARGE", "the body has " + std::to_string(*head.content_length) +
                                                     " bytes; the limit is " + std::to_string(d_.config.max_body_bytes) +
                                                     " (config max_body_bytes)");
    if (r->kind == Kind::cron_trigger) return std::nullopt;  // the kernel checks the cron secret
    if (r->kind == Kind::mapping) {
        if (!r->mapping->token.empty()) return check_token(head, r->mapping->token);
        if (r->mapping->hmac) return std::nullopt;  // verified once the body is in
    }
    return check_token(head, d_.config.token_secret);
}

std::optional<Response> Endpoints::check_token(const Head& head, const std::string& secret_name) {
    const auto expected = d_.secrets.get(secret_name);
    if (!expected.value) {
        d_.host.warn("hooks: cannot check " + head.path + ": " + expected.problem);
        return failure(503, "TOKEN_UNAVAILABLE", "the token for " + head.path + " (secret " + secret_name +
                                                     ") is not stored; the operator must run `cowork secrets set " +
                                                     secret_name + "`");
    }
    const std::string token = presented_token(head);
    if (token.empty())
        return unauthorized(head, "send the token as Authorization: Bearer <token> or X-CoWork-Token: <token>");
    if (!tokens_equal(token, *expected.value)) return unauthorized(head, "the token is not valid for " + head.path);
    d_.limiter.record_success(head.remote);
    return std::nullopt;
}

Response Endpoints::unauthorized(const Head& head, const std::string& why) {
    if (d_.limiter.record_failure(head.remote))
        d_.host.warn("hooks: " + head.remote + " is banned for " + std::to_string(d_.config.ban.count()) +
                     " s after repeated failed authentications");
    Response r = failure(401, "UNAUTHORIZED", why);
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
}

Response Endpoints::handle(const Request& req) {
    const auto r = route(req.head.path);
    if (!r) return failure(404, "NOT_FOUND", "no endpoint " + req.head.path);
    if (r->kind == Kind::health) return ok(200);
    Json body;
    try {
        body = Json::parse(req.body);
    } catch (const Json::parse_error& e) {  // its message names the byte and what was expected
        return failure(400, "INVALID_JSON", std::string("the body is not valid JSON: ") + e.what());
    }
    if (!body.is_object()) return failure(400, "INVALID_JSON", "the body must be a JSON object {…}");
    Response out = dispatch(*r, body, req);
    d_.host.info("hooks: " + req.head.method + " " + req.head.path + " from " + req.head.remote + " -> " +
                 std::to_string(out.status));
    return out;
}

Response Endpoints::dispatch(const Route& r, const Json& body, const Request& req) {
    switch (r.kind) {
    case Kind::agent: {
        auto parsed = parse_agent(body);
        if (auto* bad = std::get_if<Response>(&parsed)) return *bad;
        return start_agent(std::get<AgentRequest>(parsed), req.head);
    }
    case Kind::task_message: {
        std::string task_id, message;
        if (auto bad = take_string(body, "taskId", task_id)) return *bad;
        if (auto bad = take_string(body, "message", message)) return *bad;
        return send_message(task_id, message, req.head);
    }
    case Kind::approval: return approval(body, req.head);
    case Kind::wake: {
        std::string text, mode = "now";
        if (auto bad = take_string(body, "text", text)) return *bad;
        if (auto bad = take_string(body, "mode", mode)) return *bad;
        return wake(text, mode, req.head);
    }
    case Kind::cron_trigger: return cron_trigger(body, req.head);
    case Kind::mapping: return mapped(*r.mapping, body, req);
    case Kind::health: break;
    }
    return ok(200);
}

Response Endpoints::mapped(const Mapping& m, const Json& body, const Request& req) {
    if (m.hmac) {
        const auto key = d_.secrets.get(m.hmac->secret);
        if (!key.value) {
            d_.host.warn("hooks: cannot verify " + m.path + ": " + key.problem);
            return failure(503, "SECRET_UNAVAILABLE", "the signing secret for " + m.path + " (" + m.hmac->secret +
                                                          ") is not stored; the operator must run `cowork secrets set " +
                                                          m.hmac->secret + "`");
        }
        const Verdict v = verify(*m.hmac, *key.value, [&](const std::string& n) { return req.head.header(n); }, req.body,
                                 std::chrono::system_clock::now());
        if (!v.ok) return unauthorized(req.head, "signature check failed: " + v.why);
        d_.limiter.record_success(req.head.remote);
    }
    const std::string message = render(m.message_template, body);
    switch (m.action) {
    case Action::agent: {
        AgentRequest a;
        a.message = message;
        a.name = render(m.name_template, body);
        a.session_key = render(m.session_key_template, body);
        a.workspace = m.workspace;
        return start_agent(a, req.head);
    }
    case Action::task_message: return send_message(render(m.task_id_template, body), message, req.head);
    case Action::wake: return wake(message, "now", req.head);
    }
    return failure(500, "INTERNAL_ERROR", "unknown mapping action");
}

Response Endpoints::start_agent(const AgentRequest& a, const Head& head) {
    if (a.message.empty()) return failure(400, "INVALID_PARAMS", "message (what the agent should do) is required");
    const std::string workspace = a.workspace.empty() ? d_.config.workspace : a.workspace;
    if (workspace.empty())
        return failure(400, "INVALID_PARAMS",
                       "no workspace: send workspace (an id or folder) or set workspace in [plugins.\"frontend.hooks\"]");
    if (a.session_key.size() > kMaxSessionKey)
        return failure(400, "INVALID_PARAMS", "sessionKey is longer than " + std::to_string(kMaxSessionKey) + " characters");
    Json params{{"prompt", a.message}, {"workspace", workspace}};
    if (!a.name.empty()) params["title"] = a.name;
    if (!a.provider.empty()) params["provider"] = a.provider;
    if (!a.model.empty()) params["model"] = a.model;
    if (a.timeout_s) params["budget"] = {{"maxWallTimeS", *a.timeout_s}};
    const HookCaller caller{head.path, head.remote, {"write"}};

    // A kernel refusal inside once() must reach the client as itself.
    struct Refused {
        KernelResult result;
    };
    auto create = [&]() -> std::string {
        KernelResult r = call_kernel(d_.host, "task.create", params, caller);
        if (!r.ok) throw Refused{std::move(r)};
        return r.value.value("id", "");
    };
    try {
        if (a.session_key.empty()) return ok(202, {{"taskId", create()}});
        const auto once = d_.sessions.once(a.session_key, create);
        Json fields{{"taskId", once.task_id}};
        if (once.deduplicated) fields["deduplicated"] = true;
        return ok(202, fields);
    } catch (const Refused& r) {
        return kernel_failure("task.create", r.result);
    } catch (const std::exception& e) {
        d_.host.error(std::string("hooks: session key store failed: ") + e.what());
        return failure(500, "INTERNAL_ERROR", "the session key store failed; see the coworkd log");
    }
}

Response Endpoints::send_message(const std::string& task_id, const std::string& message, const Head& head) {
    if (task_id.empty()) return failure(400, "INVALID_PARAMS", "taskId is required");
    if (message.empty()) return failure(400, "INVALID_PARAMS", "message is required");
    const auto r = call_kernel(d_.host, "task.sendMessage", {{"id", task_id}, {"text", message}},
                               {head.path, head.remote, {"write"}});
    if (!r.ok) return kernel_failure("task.sendMessage", r);
    return ok(202, {{"taskId", task_id}});
}

Response Endpoints::approval(const Json& body, const Head& head) {
    std::string id, reason;
    if (auto bad = take_string(body, "approvalId", id)) return *bad;
    if (auto bad = take_string(body, "reason", reason)) return *bad;
    if (id.empty()) return failure(400, "INVALID_PARAMS", "approvalId is required (see `cowork approvals list`)");
    if (!body.contains("approved") || !body["approved"].is_boolean())
        return failure(400, "INVALID_PARAMS", "approved must be true or false");
    Json params{{"approvalId", id}, {"decision", body["approved"].get<bool>() ? "approve" : "deny"}};
    if (!reason.empty()) params["reason"] = reason;
    const auto r = call_kernel(d_.host, "approval.respond", params, {head.path, head.remote, {"approve"}});
    if (!r.ok) return kernel_failure("approval.respond", r);
    return ok(200, {{"approvalId", r.value.value("approvalId", id)},
                    {"taskId", r.value.value("taskId", "")},
                    {"status", r.value.value("status", "")}});
}

Response Endpoints::wake(const std::string& text, const std::string& mode, const Head& head) {
    if (text.empty()) return failure(400, "INVALID_PARAMS", "text is required");
    if (mode != "now" && mode != "next") return failure(400, "INVALID_PARAMS", "mode must be \"now\" or \"next\"");
    const auto r = call_kernel(d_.host, "cron.wake", {{"text", text}, {"mode", mode}}, {head.path, head.remote, {"write"}});
    if (!r.ok) return kernel_failure("cron.wake", r);
    return ok(202, {{"result", r.value}});
}

Response Endpoints::cron_trigger(const Json& body, const Head& head) {
    std::string job_id, job_name, secret = head.header("x-cowork-cron-secret");
    if (auto bad = take_string(body, "jobId", job_id)) return *bad;
    if (auto bad = take_string(body, "jobName", job_name)) return *bad;
    if (secret.empty())
        if (auto bad = take_string(body, "secret", secret)) return *bad;
    if (job_id.empty() == job_name.empty()) return failure(400, "INVALID_PARAMS", "send exactly one of jobId or jobName");
    if (secret.empty())
        return unauthorized(head, "send the job's trigger secret as X-CoWork-Cron-Secret: <secret> or body \"secret\"");
    Json params{{"secret", secret}};
    if (!job_id.empty()) params["jobId"] = job_id;
    else params["jobName"] = job_name;
    const auto r = call_kernel(d_.host, "cron.trigger", params, {head.path, head.remote, {"write"}});
    if (!r.ok) {
        if (r.code == "UNAUTHORIZED") d_.limiter.record_failure(head.remote);
        return kernel_failure("cron.trigger", r);
    }
    d_.limiter.record_success(head.remote);
    return ok(202, {{"result", r.value}});
}

}  // namespace cowork::hooks
