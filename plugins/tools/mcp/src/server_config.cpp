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

AuthConfig auth_at(const Json& t, const std::string& server) {
    AuthConfig a;
    if (!t.contains("auth") || t["auth"].is_null()) return a;
    const Json& j = t["auth"];
    if (!j.is_object()) bad(server, "auth", "must be a table: {secret = \"<secret name>\", scheme = \"bearer\"}");
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
    }
    if (!read_only_tools.empty()) j["read_only_tools"] = read_only_tools;
    return j;
}

}  // namespace cowork::mcp
