#include "settings.hpp"

#include <cowork/sdk/error.hpp>
#include <cowork/sdk/net/address_class.hpp>

#include <algorithm>
#include <regex>

namespace cowork::mcp {
namespace {

std::vector<std::string> strings(const nlohmann::json& c, const char* key) {
    std::vector<std::string> out;
    if (c.contains(key) && c[key].is_array())
        for (const auto& v : c[key])
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

std::vector<IdentitySpec> identities(const nlohmann::json& c) {
    static const std::regex kName("[a-z0-9][a-z0-9_-]{0,63}");
    std::vector<IdentitySpec> out;
    if (!c.contains("identities") || !c["identities"].is_array()) return out;
    for (const auto& i : c["identities"]) {
        IdentitySpec s{i.value("name", ""), i.value("role", "read")};
        if (!std::regex_match(s.name, kName))
            throw sdk::invalid("identities: name \"" + s.name +
                               "\" must be lower-case letters, digits, '-' or '_' (it names the token secret)");
        if (s.role != "read" && s.role != "operator")
            throw sdk::invalid("identities: role of \"" + s.name + "\" must be \"read\" or \"operator\"");
        out.push_back(std::move(s));
    }
    return out;
}

bool loopback(const std::string& bind) {
    if (bind == "localhost") return true;
    return sdk::net::classify_address(bind) == sdk::net::AddressClass::loopback;
}

}  // namespace

Settings parse_settings(const nlohmann::json& c) {
    Settings s;
    s.http = c.value("http", false);
    s.bind = c.value("bind", s.bind);
    const int port = c.value("port", 18790);
    if (port < 0 || port > 65535) throw sdk::invalid("port must be 0-65535");
    s.port = static_cast<unsigned short>(port);
    s.allowed_hosts = strings(c, "allowed_hosts");
    s.allowed_origins = strings(c, "allowed_origins");
    s.max_body = std::max<size_t>(1024, c.value("max_body", s.max_body));
    s.read_timeout = std::chrono::milliseconds(std::max(50, c.value("read_timeout_ms", 10000)));
    s.write_timeout = std::chrono::milliseconds(std::max(50, c.value("write_timeout_ms", 10000)));
    s.session_idle = std::chrono::seconds(std::max(1, c.value("session_idle_s", 3600)));
    s.max_sessions = std::max<size_t>(1, c.value("max_sessions", s.max_sessions));
    s.page_size = std::clamp<size_t>(c.value("page_size", s.page_size), 1, 1000);
    s.sse_retry = std::chrono::milliseconds(std::clamp(c.value("sse_retry_ms", 1000), 10, 600000));
    s.sse_poll_after = std::chrono::milliseconds(std::max(0, c.value("sse_poll_after_ms", 0)));
    s.sse_replay_events = std::clamp<size_t>(c.value("sse_replay_events", s.sse_replay_events), 1, 100000);
    s.sse_replay_bytes = std::clamp<size_t>(c.value("sse_replay_bytes", s.sse_replay_bytes), 1024, size_t(256) << 20);
    s.tools_poll = std::chrono::seconds(std::max(1, c.value("tools_poll_s", 10)));
    s.identities = identities(c);
    s.default_workspace = c.value("default_workspace", "");
    s.bare_tool_plugins = strings(c, "bare_tool_plugins");
    s.catalog_plugins = strings(c, "catalog_plugins");
    if (s.http && !loopback(s.bind))
        throw sdk::denied("REFUSING TO START: bind = \"" + s.bind +
                          "\" is not a loopback address. The MCP host serves plain HTTP and carries bearer "
                          "tokens; bind to 127.0.0.1 and tunnel (ssh -L " + std::to_string(s.port) + ":127.0.0.1:" +
                          std::to_string(s.port) + " host) for remote clients.");
    return s;
}

std::string token_secret_key(const std::string& identity_name) {
    return "plugin.frontend.mcp-host.tokens." + identity_name;
}

}  // namespace cowork::mcp
