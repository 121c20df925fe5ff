// kernel/scheduler/timer_service.hpp — one-shot and periodic timers on the
// kernel's executor, cancellable by token. Backs "cowork.scheduler/1".
#pragma once

#include "core/asio.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace cowork::kernel::scheduler {

using TimerId = uint64_t;  // > 0

class TimerService {
public:
    explicit TimerService(asio::any_io_executor executor);
    // Cancels every timer, waiting for callbacks that are running.
    ~TimerService();
    TimerService(const TimerService&) = delete;
    TimerService& operator=(const TimerService&) = delete;

    // [any-thread] `fn` runs on a worker after `delay`, then every `period`
    // if non-zero. A periodic timer keeps its cadence (next = previous due
    // + period); beats missed while the callback ran long are skipped, not
    // bunched. One timer's callbacks never overlap. Exceptions are logged.
    TimerId add(std::chrono::milliseconds delay, std::chrono::milliseconds period, std::function<void()> fn);

    // [any-thread] After it returns the callback is not running and never
    // runs again (so its code may be unloaded) — except when called from
    // inside that callback, where the running call is simply the last.
    // False if the id is unknown or the one-shot already fired.
    bool cancel(TimerId id);

    bool active(TimerId id) const;
    size_t active_count() const;

    class Timer;  // internal

private:
    void purge_finished_locked();

    asio::any_io_executor executor_;
    mutable std::mutex mutex_;
    std::map<TimerId, std::shared_ptr<Timer>> timers_;
    TimerId next_id_ = 1;
};

}  // namespace cowork::kernel::scheduler
