// kernel/scheduler/job_scheduler_driver.hpp — calls JobScheduler::tick() on
// time, using a TimerService one-shot re-armed after each tick.
#pragma once

#include "scheduler/job_scheduler.hpp"
#include "scheduler/timer_service.hpp"

#include <mutex>

namespace cowork::kernel::scheduler {

class JobSchedulerDriver {
public:
    // Wakes at the next due time, but at least every `max_sleep` so that
    // wall-clock jumps and suspend/resume are noticed (steady timers do not
    // see them). All references must outlive the driver.
    JobSchedulerDriver(JobScheduler& jobs, TimerService& timers, const Clock& clock,
                       std::chrono::seconds max_sleep = std::chrono::seconds(30));
    ~JobSchedulerDriver();  // stop()

    void start();  // [main] first tick now: applies missed-run policies at start-up
    void stop();   // [main] on return no tick is running or will run

private:
    void arm();
    void fire();

    JobScheduler& jobs_;
    TimerService& timers_;
    const Clock& clock_;
    const std::chrono::seconds max_sleep_;
    std::mutex mutex_;
    TimerId timer_ = 0;
    bool running_ = false;
};

}  // namespace cowork::kernel::scheduler
