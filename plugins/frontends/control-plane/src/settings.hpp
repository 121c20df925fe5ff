// settings.hpp — the plugin's config ([plugins."frontend.control-plane"]).
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace cowork::cp {

struct Settings {
    std::string bind = "127.0.0.1";
    unsigned short port = 18789;
    size_t max_payload = 1 << 20;
    int heartbeat_s = 30;
    std::chrono::milliseconds handshake_timeout{10000};
    std::chrono::milliseconds nonce_ttl{30000};
    std::vector<std::string> allowed_origins;
    size_t send_queue_bytes = 1 << 20;
    size_t send_queue_frames = 1000;
    std::chrono::milliseconds stall_timeout{10000};  // a write pending this long drops the client
    int max_failed_auths = 5;
    std::chrono::seconds ban{300};
    std::string tls_cert, tls_key;
};

// Parses and validates; throws sdk::Error with a message meant for people.
// A non-loopback bind without TLS is refused here, before any socket opens.
Settings parse_settings(const nlohmann::json& config);

// COWORK_CONTROL_PLANE_PORT overrides `port` (test suites run many daemons
// at once and pass 0 so each gets a free port). nullptr/empty: no override.
void apply_port_override(Settings& settings, const char* value);

// Whether TLS is configured (both files set).
inline bool tls_enabled(const Settings& s) { return !s.tls_cert.empty() && !s.tls_key.empty(); }

}  // namespace cowork::cp
