// server_config.hpp — one configured MCP server, read from
// [plugins."tool.mcp".servers.<name>] or from mcp.add, validated with
// errors that name the key and say what to write instead.
#pragma once

#include "oauth/oauth_settings.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace cowork::mcp {

using Json = nlohmann::json;

enum class TransportKind { stdio, http, sse };

struct AuthConfig {
    std::string secret;  // name of a secret in the secrets service; empty: no static token
    std::string header = "Authorization";
    bool bearer = true;  // "Bearer <value>" vs the raw value in `header`
    oauth::OAuthSettings oauth;  // auth.type = "oauth": tokens come from an OAuth 2.1 login
};

struct ServerConfig {
    std::string name;
    TransportKind transport = TransportKind::stdio;
    bool enabled = true;
    // stdio
    std::string command;
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string cwd;
    // http / sse
    std::string url;
    std::map<std::string, std::string> headers;
    AuthConfig auth;
    // limits
    std::chrono::milliseconds connect_timeout{30000};
    std::chrono::milliseconds request_timeout{60000};
    size_t max_result_bytes = 1024 * 1024;
    // Tools the operator vouches are read-only (policy may then allow them
    // without asking). Server hints never do that on their own.
    std::vector<std::string> read_only_tools;

    // Back to the JSON shape the config and mcp.add use (no secret values: only the secret's name).
    Json to_json() const;
};

// Server names become part of tool ids ("tool.mcp.<name>.<tool>"): short,
// lower-case, no dots, so two servers can never produce the same id.
bool valid_server_name(const std::string& name);

// Throws sdk::invalid("servers.<name>.<key>: …") on anything wrong.
ServerConfig parse_server_config(const std::string& name, const Json& table);

// Every server under `servers` in the plugin config; bad entries are
// reported through `problems` (one line each) and skipped, not fatal.
std::vector<ServerConfig> parse_servers(const Json& servers, std::vector<std::string>& problems);

const char* transport_name(TransportKind kind);

}  // namespace cowork::mcp
