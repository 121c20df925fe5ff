// hooks_config.hpp — the plugin's settings ([plugins."frontend.hooks"] in
// cowork.toml), validated once at start so a bad mapping fails the plugin
// with a message naming the key instead of misbehaving per request.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace cowork::hooks {

using Json = nlohmann::json;

// How a mapped endpoint proves a request came from the sender.
enum class HmacScheme { github, svix, plain };

struct HmacSettings {
    HmacScheme scheme = HmacScheme::github;
    std::string secret;            // name of a stored secret (hooks.*)
    std::string header;            // where the signature is (lower-case)
    std::string timestamp_header;  // plain: optional; svix: svix-timestamp
    std::chrono::seconds tolerance{300};
};

enum class Action { agent, task_message, wake };

struct Mapping {
    std::string path;         // full path, base path included ("/hooks/github")
    Action action = Action::agent;
    std::string token;        // secret name of a per-mapping token; empty: none
    std::string message_template;
    std::string name_template;
    std::string session_key_template;
    std::string task_id_template;
    std::string workspace;    // overrides the global workspace for this path
    std::optional<HmacSettings> hmac;

    // Without a token or an HMAC of its own a mapping takes the global token.
    bool uses_global_token() const { return token.empty() && !hmac; }
};

struct HooksConfig {
    std::string bind = "127.0.0.1";
    unsigned short port = 9877;
    std::string base_path = "/hooks";
    std::string token_secret = "hooks.token";
    size_t max_body_bytes = 256 * 1024;
    std::chrono::milliseconds request_timeout{10000};
    size_t max_connections = 256;
    int max_failed_auths = 5;
    std::chrono::seconds ban{300};
    std::string workspace;
    std::vector<Mapping> mappings;
};

// Every secret the plugin reads must match its manifest's `secret:read`.
inline constexpr const char* kSecretPrefix = "hooks.";

// Parses and validates; throws sdk::Error with a message meant for people.
// A non-loopback bind is refused here, before any socket opens.
HooksConfig parse_config(const Json& config);

const char* action_name(Action a);

}  // namespace cowork::hooks
