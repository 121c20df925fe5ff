#include "server_config.hpp"

#include <cowork/sdk/error.hpp>

#include <regex>

namespace cowork::mcp {
namespace {

[[noreturn]] void bad(const std::string& server, const std::string& key, const std::string& what) {
    throw sdk::invalid("servers." + server + "." + key + ": " + what);
}

std::string string_at(const Json& t, const std::string& server, const char* key, const std::string& fallback = "") {
    if (!t.contains(key) || t[key].is_null()) return fallback;
    if (!t[key].is_string()) bad(server, key, "must be a string");
    return t[key].get<std::string>();
}

std::vector<std::string> strings_at(const Json& t, const std::string& server, const char* key) {
    std::vector<std::string> out;
    if (!t.contains(key) || t[key].is_null()) return out;
    if (!t[key].is_array()) bad(server, key, "must be an array of strings");
    for (const auto& v : t[key]) {
        if (!v.is_string()) bad(server, key, "must be an array of strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

std::map<std::string, std::string> map_at(const Json& t, const std::string& server, const char* key) {
    std::map<std::string, std::string> out;
    if (!t.contains(key) || t[key].is_null()) return out;
    if (!t[key].is_object()) bad(server, key, "must be a table of strings");
    for (const auto& [k, v] : t[key].items()) {
        if (!v.is_string()) bad(server, std::string(key) + "." + k, "must be a string");
        out[k] = v.get<std::string>();
    }
    return out;
}

std::chrono::milliseconds ms_at(const Json& t, const std::string& server, const char* key, std::chrono::milliseconds def) {
    if (!t.contains(key)) return def;
    if (!t[key].is_number_integer() || t[key].get<long long>() < 100 || t[key].get<long long>() > 3600000)
        bad(server, key, "must be an integer number of milliseconds between 100 and 3600000");
    return std::chrono::milliseconds(t[key].get<long long>());
}

oauth::OAuthSettings oauth_at(const Json& j, const std::string& server) {
    oauth::OAuthSettings o;
    o.enabled = true;
    o.client_id = string_at(j, server, "client_id");
    o.client_secret = string_at(j, server, "client_secret");
    if (!o.client_secret.empty() && o.client_id.empty())
        bad(server, "auth.client_secret", "names the secret of a pre-registered client: set auth.client_id too");
    o.client_private_key = string_at(j, server, "client_private_key");
    if (!o.client_private_key.empty() && o.client_id.empty())
        bad(server, "auth.client_private_key", "names the key of a pre-registered client: set auth.client_id too");
    o.client_metadata_url = string_at(j, server, "client_metadata_url");
    if (!o.client_metadata_url.empty() && o.client_metadata_url.rfind("https://", 0) != 0)
        bad(server, "auth.client_metadata_url", "must be an https:// URL serving this client's metadata document");
    o.scopes = strings_at(j, server, "scopes");
    o.grant = string_at(j, server, "grant", o.grant);
    if (o.grant != "authorization_code" && o.grant != "client_credentials" && o.grant != "cross_app_access")
        bad(server, "auth.grant",
            "must be \"authorization_code\" (a person logs in), \"client_credentials\" or \"cross_app_access\"");
    const bool signs = o.grant == "client_credentials" && !o.client_private_key.empty();  // private_key_jwt
    if (o.grant != "authorization_code" && (o.client_id.empty() || (o.client_secret.empty() && !signs)))
        bad(server, "auth.grant", "\"" + o.grant + "\" needs auth.client_id and auth.client_secret (a secret name)" +
                                      (o.grant == "client_credentials" ? " or auth.client_private_key" : ""));
    o.idp_token_endpoint = string_at(j, server, "idp_token_endpoint");
    o.idp_client_id = string_at(j, server, "idp_client_id");
    o.idp_id_token = string_at(j, server, "idp_id_token");
    if (o.grant == "cross_app_access" && (o.idp_token_endpoint.empty() || o.idp_id_token.empty()))
        bad(server, "auth.grant",
            "\"cross_app_access\" needs auth.idp_token_endpoint and auth.idp_id_token (the secret holding the IdP's ID token)");
    o.client_name = string_at(j, server, "client_name", o.client_name);
    return o;
}

AuthConfig auth_at(const Json& t, const std::string& server) {
    AuthConfig a;
    if (!t.contains("auth") || t["auth"].is_null()) return a;
    const Json& j = t["auth"];
    if (!j.is_object())
        bad(server, "auth", "must be a table: {secret = \"<secret name>\", scheme = \"bearer\"} or {type = \"oauth\"}");
    const std::string type = string_at(j, server, "type", "secret");
    if (type == "oauth") {
        a.oauth = oauth_at(j, server);
        return a;
    }
    if (type != "secret") bad(server, "auth.type", "must be \"secret\" (a static token) or \"oauth\" (OAuth 2.1 login)");
    a.secret = string_at(j, server, "secret");
    if (a.secret.empty()) bad(server, "auth.secret", "names the secret holding the token (store it with `cowork secrets set`)");
    const std::string scheme = string_at(j, server, "scheme", "bearer");
    if (scheme == "bearer") return a;
    if (scheme.rfind("header:", 0) == 0 && scheme.size() > 7) {
        a.bearer = false;
        a.header = scheme.substr(7);
        return a;
    }
    bad(server, "auth.scheme", "must be \"bearer\" or \"header:<Header-Name>\"");
}

}  // namespace

const char* transport_name(TransportKind kind) {
    switch (kind) {
        case TransportKind::stdio: return "stdio";
        case TransportKind::http: return "http";
        case TransportKind::sse: return "sse";
    }
    return "stdio";
}

bool valid_server_name(const std::string& name) {
    static const std::regex re("^[a-z0-9][a-z0-9_-]{0,31}$");
    return std::regex_match(name, re);
}

ServerConfig parse_server_config(const std::string& name, const Json& t) {
    if (!valid_server_name(name))
        throw sdk::invalid("server name '" + name +
                           "' is not valid: use 1-32 characters a-z, 0-9, '_' or '-', starting with a letter or digit");
    if (!t.is_object()) bad(name, "", "must be a table");
    ServerConfig c;
    c.name = name;
    c.enabled = t.value("enabled", true);
    c.command = string_at(t, name, "command");
    c.args = strings_at(t, name, "args");
    c.env = map_at(t, name, "env");
    c.cwd = string_at(t, name, "cwd");
    c.url = string_at(t, name, "url");
    c.headers = map_at(t, name, "headers");
    c.auth = auth_at(t, name);
    c.connect_timeout = ms_at(t, name, "connect_timeout_ms", c.connect_timeout);
    c.request_timeout = ms_at(t, name, "request_timeout_ms", c.request_timeout);
    c.read_only_tools = strings_at(t, name, "read_only_tools");
    if (t.contains("max_result_bytes")) {
        if (!t["max_result_bytes"].is_number_integer() || t["max_result_bytes"].get<long long>() < 1024)
            bad(name, "max_result_bytes", "must be an integer of at least 1024");
        c.max_result_bytes = t["max_result_bytes"].get<size_t>();
    }
    if (!c.command.empty() && !c.url.empty()) bad(name, "url", "set either `command` (stdio) or `url` (HTTP), not both");
    if (c.command.empty() && c.url.empty()) bad(name, "command", "set `command` (a program speaking MCP on stdio) or `url`");
    const std::string transport = string_at(t, name, "transport", c.url.empty() ? "stdio" : "http");
    if (transport == "stdio") {
        if (c.command.empty()) bad(name, "transport", "\"stdio\" needs `command`");
        c.transport = TransportKind::stdio;
    } else if (transport == "http" || transport == "sse") {
        if (c.url.empty()) bad(name, "url", "transport \"" + transport + "\" needs `url`");
        if (c.url.rfind("http://", 0) != 0 && c.url.rfind("https://", 0) != 0)
            bad(name, "url", "must start with http:// or https://");
        c.transport = transport == "http" ? TransportKind::http : TransportKind::sse;
    } else {
        bad(name, "transport", "must be \"stdio\", \"http\" (Streamable HTTP, falls back to SSE) or \"sse\"");
    }
    return c;
}

std::vector<ServerConfig> parse_servers(const Json& servers, std::vector<std::string>& problems) {
    std::vector<ServerConfig> out;
    if (servers.is_null()) return out;
    if (!servers.is_object()) {
        problems.push_back("servers: must be a table of [servers.<name>] tables");
        return out;
    }
    for (const auto& [name, table] : servers.items()) {
        try {
            out.push_back(parse_server_config(name, table));
        } catch (const std::exception& e) {
            problems.push_back(e.what());
        }
    }
    return out;
}

Json ServerConfig::to_json() const {
    Json j{{"enabled", enabled}, {"transport", transport_name(transport)},
           {"connect_timeout_ms", connect_timeout.count()}, {"request_timeout_ms", request_timeout.count()},
           {"max_result_bytes", max_result_bytes}};
    if (transport == TransportKind::stdio) {
        j["command"] = command;
        j["args"] = args;
        if (!env.empty()) j["env"] = env;
        if (!cwd.empty()) j["cwd"] = cwd;
    } else {
        j["url"] = url;
        if (!headers.empty()) j["headers"] = headers;
        if (!auth.secret.empty())
            j["auth"] = {{"secret", auth.secret}, {"scheme", auth.bearer ? std::string("bearer") : "header:" + auth.header}};
        if (auth.oauth.enabled) {
            const auto& o = auth.oauth;
            Json a{{"type", "oauth"}, {"grant", o.grant}, {"client_name", o.client_name}};
            if (!o.client_id.empty()) a["client_id"] = o.client_id;
            if (!o.client_secret.empty()) a["client_secret"] = o.client_secret;  // the secret's name
            if (!o.client_private_key.empty()) a["client_private_key"] = o.client_private_key;  // the secret's name
            if (!o.client_metadata_url.empty()) a["client_metadata_url"] = o.client_metadata_url;
            if (!o.scopes.empty()) a["scopes"] = o.scopes;
            if (!o.idp_token_endpoint.empty()) a["idp_token_endpoint"] = o.idp_token_endpoint;
            if (!o.idp_client_id.empty()) a["idp_client_id"] = o.idp_client_id;
            if (!o.idp_id_token.empty()) a["idp_id_token"] = o.idp_id_token;  // the secret's name
            j["auth"] = a;
        }
    }
    if (!read_only_tools.empty()) j["read_only_tools"] = read_only_tools;
    return j;
}

}  // namespace cowork::mcp
