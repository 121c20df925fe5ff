// kernel/scheduler/clock.hpp — where the job scheduler reads the time, so
// tests can move it by hand instead of sleeping.
#pragma once

#include "scheduler/instant.hpp"

#include <mutex>

namespace cowork::kernel::scheduler {

class Clock {
public:
    virtual ~Clock() = default;
    virtual Instant now() const = 0;  // [any-thread]
};

class SystemClock final : public Clock {
public:
    Instant now() const override;
};

// A clock that only moves when told to.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Instant start) : now_(start) {}
    Instant now() const override;
    void set(Instant instant);
    void advance(std::chrono::seconds by);

private:
    mutable std::mutex mutex_;
    Instant now_;
};

}  // namespace cowork::kernel::scheduler
