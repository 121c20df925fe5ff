#include "oauth/login_sessions.hpp"

#include "oauth/link_authorizer.hpp"

#include <cowork/sdk/error.hpp>

namespace cowork::mcp::oauth {
namespace {

// An unauthenticated initialize: its 401 carries the challenge (scope,
// resource_metadata) the flow starts from, as on a real connection.
std::string probe_challenge(sdk::Host host, const ServerConfig& config) {
    const Json initialize{{"jsonrpc", "2.0"},
                          {"id", 0},
                          {"method", "initialize"},
                          {"params",
                           {{"protocolVersion", "2025-11-25"},
                            {"capabilities", Json::object()},
                            {"clientInfo", {{"name", "cowork-tool-mcp"}, {"version", "0.1.0"}}}}}};
    try {
        std::map<std::string, std::string> headers = config.headers;
        headers["Accept"] = "application/json, text/event-stream";
        const HttpReply r = HttpFetch(host, config.connect_timeout).post_json(config.url, initialize, headers);
        return r.header("www-authenticate");
    } catch (const std::exception&) {
        return "";  // unreachable now: discovery will say so with its own URLs
    }
}

}  // namespace

LoginSessions& LoginSessions::instance() {
    static LoginSessions sessions;
    return sessions;
}

LoginSessions::~LoginSessions() {
    std::map<std::string, std::shared_ptr<Session>> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(sessions_);
    }
    for (auto& [_, s] : all) {
        if (s->authorizer) s->authorizer->cancel();
        if (s->thread.joinable()) s->thread.join();
    }
}

void LoginSessions::run(const std::shared_ptr<Session>& s, sdk::Host host, const ServerConfig& config) {
    std::string state = "done", message;
    try {
        const Json r = s->authorizer->login(probe_challenge(host, config));
        message = "logged in (client: " + r.value("client", std::string()) + ")";
        if (r.value("persisted", false))
            message += "; the grant is stored encrypted as secret " + SecretsTokenStore::key_for(config.name) +
                       ", so the login survives a restart";
        else
            message += "; the kernel did not let the plugin store the grant as secret " +
                       SecretsTokenStore::key_for(config.name) +
                       " (needs secret:write and a policy that allows it; see the log), so it lasts until coworkd "
                       "restarts";
    } catch (const std::exception& e) {
        state = "failed";
        message = e.what();
    }
    {
        std::lock_guard lock(s->mutex);
        s->state = state;
        s->message = message;
    }
    s->cv.notify_all();
}

Json LoginSessions::start(sdk::Host host, const ServerConfig& config, std::chrono::milliseconds redirect_timeout) {
    if (!config.auth.oauth.enabled)
        throw sdk::invalid("server '" + config.name + "' does not use OAuth: set auth = { type = \"oauth\" } for it");
    if (config.auth.oauth.grant != "authorization_code")
        throw sdk::invalid("server '" + config.name + "' uses the " + config.auth.oauth.grant +
                           " grant: it authorizes by itself, no login needed");
    std::shared_ptr<Session> previous;
    {
        std::lock_guard lock(mutex_);
        if (auto it = sessions_.find(config.name); it != sessions_.end()) previous = it->second;
    }
    if (previous) {
        if (previous->authorizer) previous->authorizer->cancel();
        if (previous->thread.joinable()) previous->thread.join();
    }
    auto s = std::make_shared<Session>();
    AuthorizerOptions o = options_for(host, config);
    o.redirect_timeout = redirect_timeout;
    o.open_url = [weak = std::weak_ptr<Session>(s)](const std::string& url) {
        if (auto session = weak.lock()) {
            {
                std::lock_guard lock(session->mutex);
                session->url = url;
            }
            session->cv.notify_all();
        }
    };
    o.log = [host, name = config.name](int level, const std::string& text) {
        host.log(level, "mcp server '" + name + "': " + text);
    };
    s->authorizer = std::make_shared<Authorizer>(host, std::move(o));
    {
        std::lock_guard lock(mutex_);
        sessions_[config.name] = s;
    }
    s->thread = std::thread([this, s, host, config] { run(s, host, config); });

    std::unique_lock lock(s->mutex);
    s->cv.wait_for(lock, config.connect_timeout * 2, [&] { return !s->url.empty() || s->state != "pending"; });
    if (s->url.empty()) {
        if (s->state == "failed") throw sdk::failed("login to '" + config.name + "' failed: " + s->message);
        throw sdk::Error(COWORK_E_TIMEOUT, "timeout", "login to '" + config.name + "': the authorization server did not answer in time");
    }
    return {{"name", config.name},
            {"authorizationUrl", s->url},
            {"expiresInSeconds", std::chrono::duration_cast<std::chrono::seconds>(redirect_timeout).count()},
            {"note", "open the URL in a browser on the machine running coworkd (the redirect goes to 127.0.0.1); "
                     "mcp.list shows when the login is done"}};
}

Json LoginSessions::status(const std::string& server) const {
    std::shared_ptr<Session> s;
    {
        std::lock_guard lock(mutex_);
        auto it = sessions_.find(server);
        if (it == sessions_.end()) return nullptr;
        s = it->second;
    }
    std::lock_guard lock(s->mutex);
    return {{"state", s->state}, {"message", s->message}};
}

}  // namespace cowork::mcp::oauth
