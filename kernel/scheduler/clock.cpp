// kernel/scheduler/clock.cpp
#include "scheduler/clock.hpp"

namespace cowork::kernel::scheduler {

Instant SystemClock::now() const {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

Instant ManualClock::now() const {
    std::lock_guard lock(mutex_);
    return now_;
}

void ManualClock::set(Instant instant) {
    std::lock_guard lock(mutex_);
    now_ = instant;
}

void ManualClock::advance(std::chrono::seconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
}

}  // namespace cowork::kernel::scheduler
