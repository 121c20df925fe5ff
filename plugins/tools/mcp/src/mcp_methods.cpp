// The mcp.* API methods (declared in cowork.plugin.json "api"; the kernel
// checks each caller's scope before it calls us).
#include "mcp_plugin.hpp"
#include "oauth/login_sessions.hpp"

namespace cowork::mcp {
namespace {

// How long mcp.login waits for the browser's redirect.
constexpr auto kLoginTimeout = std::chrono::minutes(10);

std::string name_param(const Json& params) {
    if (!params.is_object() || !params.contains("name") || !params["name"].is_string())
        throw sdk::invalid("params.name is required: the server's name (see mcp.list)");
    return params["name"].get<std::string>();
}

// mcp.login takes {name} like the other methods, or {server}.
std::string server_param(const Json& params) {
    if (params.is_object() && params.contains("server") && params["server"].is_string()) return params["server"].get<std::string>();
    return name_param(params);
}

bool needs_person(const ServerConfig& c) { return c.auth.oauth.enabled && c.auth.oauth.grant == "authorization_code"; }

bool has_grant(sdk::Host host, const ServerConfig& c) { return oauth::SecretsTokenStore(host, c.name).load().has_value(); }

// The OAuth part of mcp.list: whether a login happened, and how the last one went.
Json oauth_status(const ServerConfig& c, bool authorized) {
    Json j{{"type", "oauth"}, {"grant", c.auth.oauth.grant}, {"authorized", authorized}};
    if (Json login = oauth::LoginSessions::instance().status(c.name); !login.is_null()) j["login"] = login;
    return j;
}

// Env values and header values may be tokens: show only their names.
Json redacted_config(const ServerConfig& c) {
    Json j = c.to_json();
    for (const char* key : {"env", "headers"})
        if (j.contains(key))
            for (auto& [k, v] : j[key].items()) v = "***";
    return j;
}

}  // namespace

Json McpPlugin::call_method(const Json& request, sdk::Events&) {
    const std::string method = request.value("method", "");
    const Json params = request.value("params", Json::object());
    if (method == "mcp.list") return method_list();
    if (method == "mcp.add") return method_add(params);
    if (method == "mcp.remove") return method_remove(params);
    if (method == "mcp.enable") return method_enable(params, true);
    if (method == "mcp.disable") return method_enable(params, false);
    if (method == "mcp.test") return method_test(params);
    if (method == "mcp.registry") return method_registry();
    if (method == "mcp.login") {
        const std::string name = server_param(params);
        auto link = find(name);
        if (!link) throw sdk::not_found("no MCP server '" + name + "' (see mcp.list)");
        return oauth::LoginSessions::instance().start(host(), link->config(), kLoginTimeout);
    }
    throw sdk::not_found("tool.mcp has no method '" + method + "'");
}

Json McpPlugin::method_list() const {
    std::map<std::string, Entry> servers;
    {
        std::lock_guard lock(mutex_);
        servers = servers_;
    }
    Json out = Json::array();
    for (const auto& [name, e] : servers) {
        LinkStatus s = e.link->status();
        Json auth = nullptr;
        if (e.link->config().auth.oauth.enabled) {
            const bool authorized = has_grant(host(), e.link->config());
            auth = oauth_status(e.link->config(), authorized);
            if (!authorized && needs_person(e.link->config()) && s.state != "ready" && s.state != "disabled") {
                s.state = "needs_login";
                s.last_error = oauth::Authorizer::needs_login_message(name);
            }
        }
        out.push_back({{"name", name},
                       {"source", e.source},
                       {"enabled", e.link->config().enabled},
                       {"transport", s.transport},
                       {"state", s.state},
                       {"tools", s.tools},
                       {"lastError", s.last_error},
                       {"reconnects", s.reconnects},
                       {"protocolVersion", s.protocol_version},
                       {"serverInfo", s.server_info},
                       {"pid", e.link->child_pid()},
                       {"config", redacted_config(e.link->config())}});
        if (!auth.is_null()) out.back()["auth"] = auth;
    }
    return {{"servers", out}};
}

Json McpPlugin::method_add(const Json& params) {
    const std::string name = name_param(params);
    Json table = params;
    table.erase("name");
    if (params.contains("from")) {
        if (!params["from"].is_string()) throw sdk::invalid("params.from must name a registry entry (see mcp.registry)");
        Json base = registry().instantiate(params["from"], params.value("params", Json::object()));
        table.erase("from");
        table.erase("params");
        base.update(table);  // explicit keys (command, env, cwd…) win over the template
        table = std::move(base);
    }
    ServerConfig config = parse_server_config(name, table);
    if (find(name)) throw sdk::invalid("a server named '" + name + "' exists already; mcp.remove it first or pick another name");
    for (const auto& c : configured_)
        if (c.name == name) throw sdk::invalid("'" + name + "' is defined in cowork.toml; edit it there");
    store_.save(config);
    install(config, "api");
    return {{"added", name}, {"config", redacted_config(config)}};
}

Json McpPlugin::method_remove(const Json& params) {
    const std::string name = name_param(params);
    for (const auto& c : configured_)
        if (c.name == name)
            throw sdk::invalid("'" + name + "' is defined in cowork.toml; remove it there (or mcp.disable it)");
    const bool stored = store_.remove(name);
    const bool running = uninstall(name) != nullptr;
    if (!stored && !running) throw sdk::not_found("no MCP server '" + name + "' (see mcp.list)");
    return {{"removed", name}};
}

Json McpPlugin::method_enable(const Json& params, bool enabled) {
    const std::string name = name_param(params);
    std::string source;
    ServerConfig config;
    {
        std::lock_guard lock(mutex_);
        auto it = servers_.find(name);
        if (it == servers_.end()) throw sdk::not_found("no MCP server '" + name + "' (see mcp.list)");
        source = it->second.source;
        config = it->second.link->config();
    }
    // Without plugin storage the change holds until the plugin restarts; say so.
    const bool persisted = store_.available();
    if (persisted) store_.set_enabled(name, enabled);
    if (config.enabled != enabled) {
        uninstall(name);
        config.enabled = enabled;
        install(config, source, /*apply_overrides=*/false);
    }
    Json out{{"name", name}, {"enabled", enabled}, {"persisted", persisted}};
    if (!persisted) out["note"] = "this kernel offers no plugin storage: set `enabled` in cowork.toml to keep it";
    return out;
}

Json McpPlugin::method_test(const Json& params) {
    const std::string name = name_param(params);
    auto link = find(name);
    if (!link) throw sdk::not_found("no MCP server '" + name + "' (see mcp.list)");
    if (needs_person(link->config()) && !has_grant(host(), link->config()))
        return {{"ok", false}, {"state", "needs_login"}, {"error", oauth::Authorizer::needs_login_message(name)}};
    try {
        return link->test();
    } catch (const std::exception& e) {
        return {{"ok", false}, {"error", e.what()}};
    }
}

Json McpPlugin::method_registry() { return {{"servers", registry().list()}}; }

}  // namespace cowork::mcp
