// A recording stand-in for the kernel's per-plugin host table: every
// service a plugin can ask for, backed by vectors the tests inspect.
#pragma once

#include <cowork/abi.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cowork::kernel::process::testing {

using Json = nlohmann::json;

class FakeHost {
public:
    explicit FakeHost(std::string plugin_id, Json config = Json::object());
    ~FakeHost();
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    const cowork_host* host() const { return &host_; }

    // Publish as another kernel component would: deliver to subscribers.
    void publish(const std::string& topic, const std::string& payload);

    std::vector<std::string> logs() const;
    std::vector<std::string> sql() const;
    std::vector<std::pair<std::string, std::string>> published() const;
    size_t subscriptions() const;
    size_t timers() const;

    // Polls `condition` until true or `timeout`.
    bool wait_until(const std::function<bool()>& condition,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) const;

private:
    struct Sub {
        std::string pattern;
        cowork_bus_handler handler;
        void* user;
    };
    struct TimerState {
        bool cancelled = false;
    };

    static FakeHost& of(void* ctx) { return *static_cast<FakeHost*>(ctx); }
    static const void* get_service(void* ctx, const char* id);
    static void log(void* ctx, int32_t level, const char* msg, size_t size);
    static cowork_status bus_publish(void* ctx, const char* topic, const char* payload, size_t size);
    static uint64_t subscribe(void* ctx, const char* pattern, cowork_bus_handler handler, void* user);
    static void unsubscribe(void* ctx, uint64_t token);
    static cowork_status migrate(void* ctx, const char* in, size_t size, const cowork_sink* out);
    static cowork_status exec(void* ctx, const char* in, size_t size, const cowork_sink* out);
    static cowork_status config_get(void* ctx, const char* in, size_t size, const cowork_sink* out);
    static uint64_t add_timer(void* ctx, uint64_t delay_ms, uint64_t period_ms, cowork_timer_fn fn, void* user);
    static void cancel(void* ctx, uint64_t token);

    const std::string plugin_id_;
    const Json config_;
    cowork_host host_{};
    cowork_log_v1 log_{};
    cowork_bus_v1 bus_{};
    cowork_storage_v1 storage_{};
    cowork_config_v1 configs_{};
    cowork_scheduler_v1 scheduler_{};

    mutable std::mutex mutex_;
    std::condition_variable timer_wake_;
    uint64_t next_token_ = 1;
    std::vector<std::string> logs_;
    std::vector<std::string> sql_;
    std::vector<std::pair<std::string, std::string>> published_;
    std::map<uint64_t, Sub> subs_;
    std::map<uint64_t, std::shared_ptr<TimerState>> timers_;
    std::vector<std::thread> timer_threads_;
    bool closing_ = false;
};

}  // namespace cowork::kernel::process::testing
