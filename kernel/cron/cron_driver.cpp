// kernel/cron/cron_driver.cpp
#include "cron/cron_driver.hpp"

namespace cowork::kernel::cron {

CronDriver::CronDriver(CronService& service, scheduler::TimerService& timers, std::chrono::milliseconds period)
    : service_(service), timers_(timers), period_(period) {}

CronDriver::~CronDriver() { stop(); }

void CronDriver::start() {
    if (timer_ != 0) return;
    timer_ = timers_.add(std::chrono::milliseconds(0), period_, [this] { service_.tick(); });
}

void CronDriver::stop() {
    if (timer_ == 0) return;
    timers_.cancel(std::exchange(timer_, 0));
}

}  // namespace cowork::kernel::cron
