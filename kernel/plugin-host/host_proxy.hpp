// kernel/plugin-host/host_proxy.hpp — the cowork_host a plugin sees in the
// child: every service table relays to the kernel over the Endpoint.
//
// Callbacks (bus handlers, timers) stay here: the child picks the id, keeps
// (handler, user) under it *before* asking the kernel, and the kernel later
// pushes `bus.deliver` / `timer.fire` notifications naming that id. Choosing
// the id up front means a delivery can never race ahead of the reply that
// would have told us the token.
#pragma once

#include "process/endpoint.hpp"

#include <cowork/abi.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace cowork::plugin_host {

using kernel::process::Endpoint;
using kernel::process::Json;

class HostProxy {
public:
    // `services`: the ids the kernel's real host offers; others answer NULL.
    HostProxy(Endpoint& kernel, std::string plugin_id, std::string data_dir, std::set<std::string> services);
    HostProxy(const HostProxy&) = delete;
    HostProxy& operator=(const HostProxy&) = delete;

    // Lives until the process exits; the plugin may keep it.
    const cowork_host* host() const noexcept { return &host_; }

    // [serial thread] Kernel → child notifications.
    void deliver_bus(const Json& params);
    void fire_timer(const Json& params);

private:
    static const void* get_service(void* ctx, const char* id);
    template <size_t Method>
    static cowork_status json_slot(void* ctx, const char* in, size_t size, const cowork_sink* out);
    static void log(void* ctx, int32_t level, const char* msg, size_t size);
    static cowork_status publish(void* ctx, const char* topic, const char* payload, size_t size);
    static uint64_t subscribe(void* ctx, const char* pattern, cowork_bus_handler handler, void* user);
    static void unsubscribe(void* ctx, uint64_t token);
    static uint64_t add_timer(void* ctx, uint64_t delay_ms, uint64_t period_ms, cowork_timer_fn fn, void* user);
    static void cancel_timer(void* ctx, uint64_t token);

    struct BusHandler {
        cowork_bus_handler fn;
        void* user;
    };
    struct TimerHandler {
        cowork_timer_fn fn;
        void* user;
    };

    Endpoint& kernel_;
    const std::string plugin_id_;
    const std::string data_dir_;
    const std::set<std::string> services_;
    cowork_host host_{};
    cowork_log_v1 log_{};
    cowork_bus_v1 bus_{};
    cowork_storage_v1 storage_{};
    cowork_secrets_v1 secrets_{};
    cowork_config_v1 config_{};
    cowork_scheduler_v1 scheduler_{};
    cowork_api_v1 api_{};
    cowork_policy_v1 policy_{};
    cowork_http_v1 http_{};  // streamed body chunks arrive as this call's events

    std::atomic<uint64_t> next_id_{1};
    std::mutex mutex_;
    // Held while a handler runs, so unsubscribe/cancel return only once no
    // callback is running (the SDK frees `user` right after). Recursive: a
    // handler may unsubscribe itself.
    std::recursive_mutex delivery_mutex_;
    std::map<uint64_t, BusHandler> subscriptions_;
    std::map<uint64_t, TimerHandler> timers_;
};

}  // namespace cowork::plugin_host
