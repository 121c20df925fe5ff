// settings.hpp — the plugin's config ([plugins."frontend.mcp-host"]).
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace cowork::mcp {

// An HTTP client identity. Its bearer token is the secret
// "plugin.frontend.mcp-host.tokens.<name>" (never in the config file).
struct IdentitySpec {
    std::string name;
    std::string role;  // "read" | "operator"
};

struct Settings {
    bool http = false;  // the Streamable HTTP listener is off by default
    std::string bind = "127.0.0.1";
    unsigned short port = 18790;
    std::string path = "/mcp";
    std::vector<std::string> allowed_hosts;    // extra Host names besides localhost/127.0.0.1/[::1]
    std::vector<std::string> allowed_origins;  // exact Origin values besides http(s)://localhost|127.0.0.1|[::1][:port]
    size_t max_body = 1 << 20;
    std::chrono::milliseconds read_timeout{10000};   // a request must arrive completely within this
    std::chrono::milliseconds write_timeout{10000};  // a client that reads nothing for this long is cut
    std::chrono::seconds session_idle{3600};
    size_t max_sessions = 64;
    size_t page_size = 50;
    // Resumable SSE (docs/mcp.md "Event ids, priming, polling and replay").
    std::chrono::milliseconds sse_retry{1000};       // the retry: field clients wait before reconnecting
    std::chrono::milliseconds sse_poll_after{0};     // close a POST's SSE stream after this (0 = never)
    size_t sse_replay_events = 256;                  // per session, for Last-Event-ID replay
    size_t sse_replay_bytes = 1 << 20;               // per session (the newest event is always kept)
    std::chrono::seconds tools_poll{10};
    std::vector<IdentitySpec> identities;
    std::string default_workspace;  // folder or workspace id for tools/call without cowork_workspace
    // Extension points (tests only; see docs/mcp.md "Host extension points").
    std::vector<std::string> bare_tool_plugins;  // their tools are listed without the plugin prefix
    std::vector<std::string> catalog_plugins;    // tool plugins that also serve resources/prompts via mcp_catalog
};

// Parses and validates; throws sdk::Error with a message meant for people.
// A non-loopback bind is refused here, before any socket opens.
Settings parse_settings(const nlohmann::json& config);

// The secrets-service key holding an identity's bearer token.
std::string token_secret_key(const std::string& identity_name);

}  // namespace cowork::mcp
