// plugin.cpp — frontend.control-plane: wires config, the device store, the
// router and the Beast server together, and fans kernel bus events out.
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

}  // namespace

class ControlPlane : public sdk::Plugin, public sdk::Frontend {
public:
    using sdk::Plugin::Plugin;

    void start() override {
        settings_ = parse_settings(host().config());
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
    }

    void stop(std::chrono::milliseconds) override {
        subs_.clear();
        if (server_) server_->stop();
        server_.reset();
    }

    Json describe(const Json&, sdk::Events&) override {
        if (!server_) return {{"listeners", Json::array()}};
        Json out = server_->stats();
        out["listeners"] = Json::array({{{"url", url()}, {"health", http_url() + "/health"}, {"tls", false}}});
        out["tokenFile"] = token_file_.string();
        return out;
    }

private:
    std::string http_url() const { return "http://" + settings_.bind + ":" + std::to_string(server_->port()); }
    std::string url() const { return "ws://" + settings_.bind + ":" + std::to_string(server_->port()) + "/"; }

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
            out << dump(Json{{"url", url()}, {"health", http_url() + "/health"}, {"tokenFile", token_file_.string()},
                             {"pid", ::getpid()}});
        }
        std::filesystem::rename(tmp, file);
    }

    void subscribe_events() {
        auto relay = [this](const std::string& topic, const Json& payload) {
            if (!server_) return;
            if (topic == "task.event") {
                auto [full, redacted] = task_event_views(payload);
                server_->broadcast(topic, full, redacted);
            } else if (topic.rfind("task.", 0) == 0) {
                server_->broadcast(topic, payload, redact_task(payload));
            } else {
                server_->broadcast(topic, payload, payload);
            }
        };
        for (const char* p : {"task.created", "task.updated", "task.completed", "task.failed", "task.event",
                              "approval.requested", "channel.status", "config.changed", "shutdown"}) {
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
