// kernel/plugins/supervisor.hpp — restarts one plugin after crashes, with
// backoff, on its own thread.
//
// The manager wires an instance's crash handler to on_crash(); the
// supervisor waits the policy's delay and calls `restart` (destroy the dead
// instance, create, init, start — the manager's own steps). A restart that
// fails counts as another failure. When the policy gives up, `give_up` runs
// once and nothing more is scheduled.
#pragma once

#include "core/result.hpp"
#include "plugins/backoff.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace cowork::kernel::plugins {

class Supervisor {
public:
    using RestartFn = std::function<Status()>;
    using GiveUpFn = std::function<void(const std::string& reason)>;

    Supervisor(std::string plugin_id, BackoffPolicy policy, RestartFn restart, GiveUpFn give_up = {});
    // Cancels a pending restart; waits for a running one.
    ~Supervisor();
    Supervisor(const Supervisor&) = delete;
    Supervisor& operator=(const Supervisor&) = delete;

    // [any-thread, e.g. the crash handler] Schedules a restart. Never blocks
    // on the restart itself.
    void on_crash(const std::string& reason);

    unsigned restarts() const;  // successful restarts so far
    bool gave_up() const;

private:
    void run();
    void schedule(const std::string& reason);  // mutex_ held

    const std::string plugin_id_;
    BackoffPolicy policy_;
    const RestartFn restart_;
    const GiveUpFn give_up_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<BackoffPolicy::Clock::time_point> due_;
    std::string last_reason_;
    unsigned restarts_ = 0;
    bool gave_up_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace cowork::kernel::plugins
