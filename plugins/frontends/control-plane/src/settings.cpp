#include "settings.hpp"

#include "crypto.hpp"

#include <cowork/sdk/error.hpp>

namespace cowork::cp {

Settings parse_settings(const nlohmann::json& c) {
    Settings s;
    s.bind = c.value("bind", s.bind);
    const int port = c.value("port", 18789);
    if (port < 0 || port > 65535) throw sdk::invalid("port must be 0-65535");
    s.port = static_cast<unsigned short>(port);
    s.max_payload = std::max<size_t>(1024, c.value("max_payload", s.max_payload));
    s.heartbeat_s = std::max(1, c.value("heartbeat_s", s.heartbeat_s));
    s.handshake_timeout = std::chrono::milliseconds(std::max(50, c.value("handshake_timeout_ms", 10000)));
    s.nonce_ttl = std::chrono::milliseconds(std::max(50, c.value("nonce_ttl_ms", 30000)));
    if (c.contains("allowed_origins") && c["allowed_origins"].is_array())
        for (const auto& o : c["allowed_origins"])
            if (o.is_string()) s.allowed_origins.push_back(o);
    s.send_queue_bytes = std::max<size_t>(4096, c.value("send_queue_bytes", s.send_queue_bytes));
    s.send_queue_frames = std::max<size_t>(4, c.value("send_queue_frames", s.send_queue_frames));
    s.stall_timeout = std::chrono::milliseconds(std::max(50, c.value("stall_timeout_ms", 10000)));
    s.max_failed_auths = std::max(1, c.value("max_failed_auths", 5));
    s.ban = std::chrono::seconds(std::max(1, c.value("ban_s", 300)));
    s.tls_cert = c.value("tls_cert", "");
    s.tls_key = c.value("tls_key", "");
    if (s.tls_cert.empty() != s.tls_key.empty())
        throw sdk::invalid("tls_cert and tls_key go together: set both (PEM certificate chain and its private key) "
                           "or neither");
    const bool loopback = is_loopback(s.bind) || s.bind == "localhost";
    if (!loopback && !tls_enabled(s))
        throw sdk::denied("REFUSING TO START: bind = \"" + s.bind +
                          "\" is not a loopback address and tls_cert/tls_key are not set. The control plane "
                          "carries operator credentials; off-host listeners must use TLS: set tls_cert and tls_key "
                          "in [plugins.\"frontend.control-plane\"], or bind to 127.0.0.1 and tunnel "
                          "(ssh -L 18789:127.0.0.1:18789).");
    return s;
}

void apply_port_override(Settings& s, const char* value) {
    if (!value || !*value) return;
    const std::string text = value;
    const bool digits = text.size() <= 5 && text.find_first_not_of("0123456789") == std::string::npos;
    const long port = digits ? std::stol(text) : -1;
    if (port < 0 || port > 65535)
        throw sdk::invalid("COWORK_CONTROL_PLANE_PORT must be a port number 0-65535 (0 picks a free one), got '" +
                           text + "'");
    s.port = static_cast<unsigned short>(port);
}

}  // namespace cowork::cp
