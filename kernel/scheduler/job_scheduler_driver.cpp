// kernel/scheduler/job_scheduler_driver.cpp
#include "scheduler/job_scheduler_driver.hpp"

#include <algorithm>

namespace cowork::kernel::scheduler {

JobSchedulerDriver::JobSchedulerDriver(JobScheduler& jobs, TimerService& timers, const Clock& clock,
                                       std::chrono::seconds max_sleep)
    : jobs_(jobs), timers_(timers), clock_(clock), max_sleep_(max_sleep) {}

JobSchedulerDriver::~JobSchedulerDriver() { stop(); }

void JobSchedulerDriver::start() {
    {
        std::lock_guard lock(mutex_);
        if (running_) return;
        running_ = true;
    }
    jobs_.on_change([this] { arm(); });
    arm();
}

void JobSchedulerDriver::stop() {
    TimerId timer;
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;
        running_ = false;
        timer = std::exchange(timer_, 0);
    }
    jobs_.on_change(nullptr);
    timers_.cancel(timer);  // waits for a running tick
}

// (Re)arms the one-shot for the earliest wake-up, replacing any pending one.
void JobSchedulerDriver::arm() {
    auto delay = max_sleep_;
    if (auto wake = jobs_.next_wake()) delay = std::clamp(*wake - clock_.now(), std::chrono::seconds(0), max_sleep_);
    TimerId previous;
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;
        previous = std::exchange(timer_, timers_.add(delay, std::chrono::milliseconds(0), [this] { fire(); }));
    }
    if (previous != 0) timers_.cancel(previous);
}

void JobSchedulerDriver::fire() {
    jobs_.tick();
    arm();
}

}  // namespace cowork::kernel::scheduler
