// plugin.cpp — frontend.control-plane: wires config, the device store, the
// router and the Beast server together, and fans kernel bus events out.
#include "crypto.hpp"
#include "devices.hpp"
#include "idempotency.hpp"
#include "nonce_book.hpp"
#include "operator_token.hpp"
#include "protocol.hpp"
#include "rate_limiter.hpp"
#include "router.hpp"
#include "server.hpp"
#include "settings.hpp"

#include <cowork/sdk/plugin.hpp>

#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace cowork::cp {
namespace {

constexpr const char* kVersion = "0.1.0";
constexpr size_t kTaskEventCap = 8192;

// What read-only clients may see of a task (mirrors the kernel's redaction).
Json redact_task(Json t) {
    if (!t.is_object()) return t;
    t.erase("prompt");
    t.erase("source");
    t.erase("workspacePath");
    if (t.contains("result") && t["result"].is_object()) t["result"].erase("text");
    return t;
}

// task.event payloads are tool output and model text: cap them for everyone,
// and give read clients only the envelope.
std::pair<Json, Json> task_event_views(const Json& e) {
    Json full = e;
    const std::string body = dump(e.value("payload", Json()));
    if (body.size() > kTaskEventCap) full["payload"] = {{"truncated", true}, {"bytes", body.size()}};
    Json redacted = e;
    redacted.erase("payload");
    return {full, redacted};
}

// Approval requests carry tool arguments (paths, commands, file contents):
// read clients learn that an approval is pending, not what it would do.
Json redact_approval(Json a) {
    if (!a.is_object()) return a;
    a.erase("arguments");
    a.erase("reason");
    return a;
}

// Which view of an event read-only clients get.
Json redacted_view(const std::string& topic, const Json& payload) {
    if (topic.rfind("task.", 0) == 0) return redact_task(payload);
    if (topic == "approval.requested") return redact_approval(payload);
    return payload;  // config.changed, channel.status, shutdown: names and states, never values
}

// `cowork --local` boots a kernel inside the CLI; it must not open a second
// listener (or overwrite listener.json), so that kernel sets this to "off".
bool serving_disabled() {
    const char* v = std::getenv("COWORK_CONTROL_PLANE");
    return v && std::string(v) == "off";
}

}  // namespace

class ControlPlane : public sdk::Plugin, public sdk::Frontend {
public:
    using sdk::Plugin::Plugin;

    void start() override {
        if (serving_disabled()) {
            host().info("control plane not served by this process (COWORK_CONTROL_PLANE=off: the CLI's in-process kernel)");
            return;
        }
        settings_ = parse_settings(host().config());
        apply_port_override(settings_, std::getenv("COWORK_CONTROL_PLANE_PORT"));
        const std::filesystem::path dir = host().data_dir();
        token_file_ = dir / "operator-token";
        const std::string token = load_or_create_token(token_file_);
        devices_ = std::make_unique<DeviceStore>(host());
        devices_->migrate();
        nonces_ = std::make_unique<NonceBook>(settings_.nonce_ttl);
        limiter_ = std::make_unique<RateLimiter>(settings_.max_failed_auths, settings_.ban);
        idempotency_ = std::make_unique<IdempotencyCache>(std::chrono::seconds(600), 10000);
        router_ = std::make_unique<Router>(RouterDeps{host(), *devices_, *nonces_, *limiter_, *idempotency_, token,
                                                      limits(), kVersion, side_effect_methods(),
                                                      [this](const std::string& id) {
                                                          if (server_) server_->close_device(id, kCloseRevoked, "device revoked");
                                                      }});
        server_ = std::make_unique<Server>(settings_, *router_, *nonces_, *limiter_, kVersion);
        try {
            server_->start();
        } catch (const std::exception& e) {
            server_.reset();
            host().error(std::string("control plane: ") + e.what());
            throw sdk::failed(e.what());
        }
        write_listener_file(dir / "listener.json");
        subscribe_events();
        host().info("control plane listening on " + url() + "; operator token in " + token_file_.string());
        if (!is_loopback(settings_.bind) && settings_.bind != "localhost")
            host().warn("WARNING: the control plane listens beyond loopback on " + url() +
                        " (TLS). Anyone who can reach this address can try to authenticate; only paired devices "
                        "get in. Bind to 127.0.0.1 unless you need remote access.");
    }

    void stop(std::chrono::milliseconds) override {
        subs_.clear();
        if (server_) server_->stop();
        if (server_) remove_listener_file(std::filesystem::path(host().data_dir()) / "listener.json");
        server_.reset();
    }

    Json describe(const Json&, sdk::Events&) override {
        if (!server_) return {{"listeners", Json::array()}};
        Json out = server_->stats();
        out["listeners"] = Json::array({{{"url", url()}, {"health", http_url() + "/health"}, {"tls", server_->tls()}}});
        out["tokenFile"] = token_file_.string();
        return out;
    }

private:
    std::string host_port() const { return settings_.bind + ":" + std::to_string(server_->port()); }
    std::string http_url() const { return (server_->tls() ? "https://" : "http://") + host_port(); }
    std::string url() const { return (server_->tls() ? "wss://" : "ws://") + host_port() + "/"; }

    Json limits() const {
        return {{"maxPayload", settings_.max_payload},
                {"heartbeatMs", settings_.heartbeat_s * 1000},
                {"sendQueueBytes", settings_.send_queue_bytes},
                {"sendQueueFrames", settings_.send_queue_frames}};
    }

    // Methods whose api.describe entry says sideEffect: they take idempotency keys.
    std::set<std::string> side_effect_methods() const {
        std::set<std::string> out;
        try {
            const Json caller{{"id", "control-plane"}, {"role", "read"}, {"scopes", {"read"}}, {"transport", "control-plane"}};
            for (const auto& m : host().api("api.describe", Json::object(), caller))
                if (m.value("sideEffect", false)) out.insert(m.value("name", ""));
        } catch (const std::exception& e) {
            host().warn(std::string("control plane: api.describe failed, idempotency keys apply to devices.* only: ") + e.what());
        }
        return out;
    }

    // For the CLI and tests: where the listener is and where the token lives
    // (never the token itself).
    void write_listener_file(const std::filesystem::path& file) const {
        const std::string tmp = file.string() + ".tmp";
        {
            std::ofstream out(tmp, std::ios::trunc);
            Json listener{{"url", url()}, {"health", http_url() + "/health"}, {"tokenFile", token_file_.string()},
                          {"pid", ::getpid()}, {"tls", server_->tls()}};
            if (server_->tls()) listener["certSha256"] = server_->certificate_sha256();
            out << dump(listener);
        }
        std::filesystem::rename(tmp, file);
    }

    // Only our own: a second coworkd on the same home (port 0) may own it now.
    static void remove_listener_file(const std::filesystem::path& file) {
        std::ifstream in(file);
        const Json j = Json::parse(in, nullptr, false);
        in.close();
        std::error_code ec;
        if (j.is_object() && j.value("pid", 0) == ::getpid()) std::filesystem::remove(file, ec);
    }

    void subscribe_events() {
        auto relay = [this](const std::string& topic, const Json& payload) {
            if (!server_) return;
            if (topic == "task.event") {
                auto [full, redacted] = task_event_views(payload);
                server_->broadcast(topic, full, redacted);
            } else {
                server_->broadcast(topic, payload, redacted_view(topic, payload));
            }
        };
        // Not the kernel's `shutdown`: Server::stop() announces it to every
        // client itself, right before the 1001 close, even when the bus has
        // already let go of this plugin.
        for (const char* p : {"task.created", "task.updated", "task.completed", "task.failed", "task.event",
                              "approval.requested", "channel.status", "config.changed"}) {
            try {
                subs_.push_back(host().subscribe(p, relay));
            } catch (const std::exception& e) {
                host().warn(std::string("control plane: no bus events: ") + e.what());
                break;
            }
        }
    }

    Settings settings_;
    std::filesystem::path token_file_;
    std::unique_ptr<DeviceStore> devices_;
    std::unique_ptr<NonceBook> nonces_;
    std::unique_ptr<RateLimiter> limiter_;
    std::unique_ptr<IdempotencyCache> idempotency_;
    std::unique_ptr<Router> router_;
    std::unique_ptr<Server> server_;
    std::vector<sdk::Subscription> subs_;
};

}  // namespace cowork::cp

COWORK_PLUGIN(cowork::cp::ControlPlane, "frontend.control-plane", "0.1.0");
