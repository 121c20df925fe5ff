// cowork/sdk/host.hpp — typed access to the kernel's services from a plugin.
#pragma once

#include <cowork/abi.h>
#include <cowork/sdk/error.hpp>
#include <cowork/sdk/sink.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cowork::sdk {

using Json = nlohmann::json;

// A bus subscription; unsubscribes when destroyed (RAII, habit 11).
class Subscription {
public:
    Subscription() = default;
    Subscription(const cowork_bus_v1* bus, uint64_t token, std::shared_ptr<void> keep)
        : bus_(bus), token_(token), keep_(std::move(keep)) {}
    Subscription(Subscription&& o) noexcept { *this = std::move(o); }
    Subscription& operator=(Subscription&& o) noexcept {
        if (this != &o) {
            reset();
            bus_ = o.bus_;
            token_ = o.token_;
            keep_ = std::move(o.keep_);
            o.bus_ = nullptr;
            o.token_ = 0;
        }
        return *this;
    }
    ~Subscription() { reset(); }
    void reset() {
        if (bus_ && token_) bus_->unsubscribe(bus_->ctx, token_);
        bus_ = nullptr;
        token_ = 0;
        keep_.reset();  // after unsubscribe: no more calls into the handler
    }
    explicit operator bool() const noexcept { return token_ != 0; }

private:
    const cowork_bus_v1* bus_ = nullptr;
    uint64_t token_ = 0;
    std::shared_ptr<void> keep_;
};

// A timer from cowork.scheduler/1; cancelled when destroyed.
class Timer {
public:
    Timer() = default;
    Timer(const cowork_scheduler_v1* s, uint64_t token, std::shared_ptr<void> keep)
        : sched_(s), token_(token), keep_(std::move(keep)) {}
    Timer(Timer&& o) noexcept { *this = std::move(o); }
    Timer& operator=(Timer&& o) noexcept {
        if (this != &o) {
            reset();
            sched_ = o.sched_;
            token_ = o.token_;
            keep_ = std::move(o.keep_);
            o.sched_ = nullptr;
            o.token_ = 0;
        }
        return *this;
    }
    ~Timer() { reset(); }
    void reset() {
        if (sched_ && token_) sched_->cancel(sched_->ctx, token_);
        sched_ = nullptr;
        token_ = 0;
        keep_.reset();
    }

private:
    const cowork_scheduler_v1* sched_ = nullptr;
    uint64_t token_ = 0;
    std::shared_ptr<void> keep_;
};

// Wraps the cowork_host a plugin was created with. Cheap to copy; the
// underlying host outlives the plugin instance.
class Host {
public:
    explicit Host(const cowork_host* host) : host_(host) {}

    const cowork_host* raw() const noexcept { return host_; }
    std::string plugin_id() const { return host_->plugin_id ? host_->plugin_id : ""; }
    std::string data_dir() const { return host_->data_dir ? host_->data_dir : ""; }

    // A service table by id, or nullptr if the kernel does not offer it.
    template <class Table>
    const Table* service(const char* id) const {
        auto* table = static_cast<const Table*>(host_->get_service(host_->ctx, id));
        if (table && table->struct_size < sizeof(Table)) return nullptr;  // older kernel
        return table;
    }

    template <class Table>
    const Table& require(const char* id) const {
        auto* table = service<Table>(id);
        if (!table) throw Error(COWORK_E_UNSUPPORTED, "unsupported", std::string("kernel lacks service ") + id);
        return *table;
    }

    void log(int32_t level, std::string_view message) const {
        if (auto* l = service<cowork_log_v1>(COWORK_SERVICE_LOG)) l->log(l->ctx, level, message.data(), message.size());
    }
    void info(std::string_view m) const { log(COWORK_LOG_INFO, m); }
    void warn(std::string_view m) const { log(COWORK_LOG_WARN, m); }
    void error(std::string_view m) const { log(COWORK_LOG_ERROR, m); }

    void publish(const std::string& topic, const Json& payload) const {
        auto& bus = require<cowork_bus_v1>(COWORK_SERVICE_BUS);
        const std::string text = payload.dump();
        const cowork_status st = bus.publish(bus.ctx, topic.c_str(), text.data(), text.size());
        if (st != COWORK_OK) throw Error(st, status_name(st), "publish to " + topic + " refused");
    }

    using Handler = std::function<void(const std::string& topic, const Json& payload)>;
    Subscription subscribe(const std::string& pattern, Handler handler) const {
        auto& bus = require<cowork_bus_v1>(COWORK_SERVICE_BUS);
        auto holder = std::make_shared<Handler>(std::move(handler));
        const uint64_t token = bus.subscribe(
            bus.ctx, pattern.c_str(),
            [](void* user, const char* topic, const char* payload, size_t size) {
                auto* h = static_cast<Handler*>(user);
                try {
                    (*h)(topic, Json::parse(payload, payload + size, nullptr, false));
                } catch (...) {
                    // A handler that throws must not take the bus down.
                }
            },
            holder.get());
        if (!token) throw invalid("bad subscription pattern: " + pattern);
        return Subscription(&bus, token, holder);
    }

    Json call_json(cowork_json_fn fn, void* ctx, const Json& in, std::string_view what,
                   const std::function<void(const Json&)>& on_event = {}) const {
        const std::string text = in.dump();
        Collector::EventFn forward;
        if (on_event) forward = [&on_event](std::string_view e) {
            const auto j = Json::parse(e, nullptr, false);
            if (!j.is_discarded()) on_event(j);
        };
        Collector c(std::move(forward));
        const cowork_status st = fn(ctx, text.data(), text.size(), c.sink());
        c.throw_if(st, what);
        return c.json();
    }

    // Scoped storage: tables must be named p_<plugin_id with '.'→'_'>_…
    std::string table_prefix() const {
        std::string p = "p_" + plugin_id() + "_";
        for (auto& ch : p)
            if (ch == '.' || ch == '-') ch = '_';
        return p;
    }
    void migrate(const Json& migrations) const {
        auto& s = require<cowork_storage_v1>(COWORK_SERVICE_STORAGE);
        call_json(s.migrate, s.ctx, Json{{"migrations", migrations}}, "storage.migrate");
    }
    Json exec(const std::string& sql, const Json& params = Json::array()) const {
        auto& s = require<cowork_storage_v1>(COWORK_SERVICE_STORAGE);
        return call_json(s.exec, s.ctx, Json{{"sql", sql}, {"params", params}}, "storage.exec");
    }

    std::string secret(const std::string& key) const {
        auto& s = secrets_table(COWORK_SECRETS_V1_BASE_SIZE, "secrets.get");
        return call_json(s.get, s.ctx, Json{{"key", key}}, "secrets.get").value("value", "");
    }
    // Stores `value` encrypted under `key` (needs secret:write for the key in
    // the manifest). The value is never logged by the kernel.
    void secret_put(const std::string& key, const std::string& value) const {
        auto& s = secrets_table(sizeof(cowork_secrets_v1), "secrets.put");
        call_json(s.put, s.ctx, Json{{"key", key}, {"value", value}}, "secrets.put");
    }
    // Deletes the secret `key` (needs secret:write); absent keys are fine.
    void secret_delete(const std::string& key) const {
        auto& s = secrets_table(sizeof(cowork_secrets_v1), "secrets.put");
        call_json(s.put, s.ctx, Json{{"key", key}, {"value", nullptr}}, "secrets.delete");
    }

    Json config() const {
        auto* c = service<cowork_config_v1>(COWORK_SERVICE_CONFIG);
        if (!c) return Json::object();
        return call_json(c->get, c->ctx, Json::object(), "config.get");
    }

    // With `on_event`, the call's events arrive while it runs (tool.call:
    // {"type":"event","event":…} and {"type":"request",…}; see docs/tools.md).
    Json api(const std::string& method, const Json& params, const Json& caller,
             const std::function<void(const Json&)>& on_event = {}) const {
        auto& a = require<cowork_api_v1>(COWORK_SERVICE_API);
        return call_json(a.call, a.ctx, Json{{"method", method}, {"params", params}, {"caller", caller}}, method,
                         on_event);
    }

    Json policy_check(const Json& request) const {
        auto& p = require<cowork_policy_v1>(COWORK_SERVICE_POLICY);
        return call_json(p.check, p.ctx, request, "policy.check");
    }

    // HTTP(S) through the kernel (cowork.http/1). With `on_chunk`, the
    // request streams: `on_head` (optional) gets the status and headers as
    // soon as they are read, then each body chunk is handed over as it arrives.
    using HttpHeadFn = std::function<void(int status, const Json& headers)>;
    Json http(Json request, const std::function<void(std::string_view)>& on_chunk = {},
              const HttpHeadFn& on_head = {}) const {
        auto& h = require<cowork_http_v1>(COWORK_SERVICE_HTTP);
        request["stream"] = static_cast<bool>(on_chunk);
        Collector c([&](std::string_view event) {
            const auto e = Json::parse(event, nullptr, false);
            if (!e.is_object()) return;
            const std::string type = e.value("type", "");
            if (type == "chunk" && on_chunk) on_chunk(e.value("data", ""));
            else if (type == "head" && on_head) on_head(e.value("status", 0), e.value("headers", Json::object()));
        });
        const std::string text = request.dump();
        const cowork_status st = h.request(h.ctx, text.data(), text.size(), c.sink());
        c.throw_if(st, "http " + request.value("method", std::string("GET")) + " " + request.value("url", std::string()));
        return c.json();
    }
    void http_cancel(const std::string& request_id) const {
        if (auto* h = service<cowork_http_v1>(COWORK_SERVICE_HTTP)) {
            const std::string text = Json{{"requestId", request_id}}.dump();
            Collector c;
            (void)h->cancel(h->ctx, text.data(), text.size(), c.sink());
        }
    }

    Timer every(std::chrono::milliseconds delay, std::chrono::milliseconds period, std::function<void()> fn) const {
        auto& s = require<cowork_scheduler_v1>(COWORK_SERVICE_SCHEDULER);
        auto holder = std::make_shared<std::function<void()>>(std::move(fn));
        const uint64_t token = s.add_timer(
            s.ctx, static_cast<uint64_t>(delay.count()), static_cast<uint64_t>(period.count()),
            [](void* user) {
                try {
                    (*static_cast<std::function<void()>*>(user))();
                } catch (...) {
                }
            },
            holder.get());
        return Timer(&s, token, holder);
    }

private:
    // cowork.secrets/1 grew a slot (put): `get` works with the base size,
    // `put` only when the kernel's table covers it.
    const cowork_secrets_v1& secrets_table(size_t needed, const char* slot) const {
        auto* table = static_cast<const cowork_secrets_v1*>(host_->get_service(host_->ctx, COWORK_SERVICE_SECRETS));
        if (!table) throw Error(COWORK_E_UNSUPPORTED, "unsupported", "kernel lacks service " COWORK_SERVICE_SECRETS);
        if (table->struct_size < needed || (needed > COWORK_SECRETS_V1_BASE_SIZE && !table->put))
            throw Error(COWORK_E_UNSUPPORTED, "unsupported",
                        std::string("this kernel's " COWORK_SERVICE_SECRETS " has no ") + slot + "; upgrade coworkd");
        return *table;
    }

    const cowork_host* host_;
};

}  // namespace cowork::sdk
