// kernel/cron/cron_driver.hpp — ticks the cron service from a periodic timer
// on the kernel's executor (coworkd only).
#pragma once

#include "cron/cron_service.hpp"
#include "scheduler/timer_service.hpp"

namespace cowork::kernel::cron {

class CronDriver {
public:
    // A tick is cheap when nothing is due (a revision read, a map scan), so a
    // short period keeps run starts, task results and CLI requests prompt
    // without a wake-up computation. `service` and `timers` outlive the driver.
    CronDriver(CronService& service, scheduler::TimerService& timers,
               std::chrono::milliseconds period = std::chrono::seconds(1));
    ~CronDriver();  // stop()

    void start();  // [main] first tick now: missed runs are judged at start-up
    void stop();   // [main] on return no tick is running or will run

private:
    CronService& service_;
    scheduler::TimerService& timers_;
    const std::chrono::milliseconds period_;
    scheduler::TimerId timer_ = 0;
};

}  // namespace cowork::kernel::cron
