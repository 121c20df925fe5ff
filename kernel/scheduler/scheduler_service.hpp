// kernel/scheduler/scheduler_service.hpp — timers as the C service table
// "cowork.scheduler/1". Each plugin gets its own table; a plugin can cancel
// only its own tokens, and drop_owner() cancels all of a plugin's timers
// when it stops (after which none of its callbacks is running or will run).
#pragma once

#include "scheduler/timer_service.hpp"

#include <cowork/abi.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cowork::kernel::scheduler {

class SchedulerService {
public:
    explicit SchedulerService(TimerService& timers);
    ~SchedulerService();  // cancels every timer made through it
    SchedulerService(const SchedulerService&) = delete;
    SchedulerService& operator=(const SchedulerService&) = delete;

    // [main] Stable per plugin for the lifetime of the service.
    const cowork_scheduler_v1* table_for(const std::string& plugin_id);
    // [main] Cancels all timers of `plugin_id`, waiting for running callbacks.
    void drop_owner(const std::string& plugin_id);
    size_t timer_count(const std::string& plugin_id) const;  // still pending

private:
    struct Owner {
        SchedulerService* service;
        std::string plugin_id;
        cowork_scheduler_v1 table;
    };

    static uint64_t c_add_timer(void* ctx, uint64_t delay_ms, uint64_t period_ms, cowork_timer_fn fn, void* user);
    static void c_cancel(void* ctx, uint64_t token);

    uint64_t add_timer(const Owner& owner, uint64_t delay_ms, uint64_t period_ms, cowork_timer_fn fn, void* user);
    void cancel(const Owner& owner, uint64_t token);

    TimerService& timers_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Owner>> owners_;
    std::map<TimerId, std::string> owner_of_;  // token → plugin id
};

}  // namespace cowork::kernel::scheduler
