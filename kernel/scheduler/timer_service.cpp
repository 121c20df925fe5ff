// kernel/scheduler/timer_service.cpp
#include "scheduler/timer_service.hpp"

#include "core/log.hpp"

#include <condition_variable>
#include <thread>
#include <vector>

namespace cowork::kernel::scheduler {

using SteadyClock = std::chrono::steady_clock;

// One timer. The steady_timer is only touched on the strand; the flags
// that decide whether the callback may (still) run live under `mutex_`.
class TimerService::Timer : public std::enable_shared_from_this<Timer> {
public:
    Timer(asio::any_io_executor executor, std::chrono::milliseconds period, std::function<void()> fn)
        : strand_(asio::make_strand(std::move(executor))), timer_(strand_), period_(period), fn_(std::move(fn)) {}

    void start(std::chrono::milliseconds delay) {
        due_ = SteadyClock::now() + delay;
        asio::dispatch(strand_, [self = shared_from_this()] { self->arm(); });
    }

    void cancel() {
        std::function<void()> retired;  // destroyed outside the lock
        {
            std::unique_lock lock(mutex_);
            cancelled_ = true;
            if (runner_ != std::this_thread::get_id()) idle_.wait(lock, [&] { return !running_; });
            if (!running_) retired = std::move(fn_);
        }
        asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
    }

    bool finished() const {
        std::lock_guard lock(mutex_);
        return cancelled_ || fired_once_;
    }

private:
    void arm() {
        timer_.expires_at(due_);
        timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec) self->fire();
        });
    }

    void fire() {
        {
            std::lock_guard lock(mutex_);
            if (cancelled_) return;
            running_ = true;
            runner_ = std::this_thread::get_id();
        }
        try {
            fn_();
        } catch (const std::exception& e) {
            logger()->warn("timer callback threw: {}", e.what());
        } catch (...) {
            logger()->warn("timer callback threw");
        }
        std::function<void()> retired;
        bool again = false;
        {
            std::lock_guard lock(mutex_);
            running_ = false;
            runner_ = {};
            if (period_.count() == 0) fired_once_ = true;
            if (cancelled_ || fired_once_) retired = std::move(fn_);
            again = !cancelled_ && !fired_once_;
        }
        idle_.notify_all();
        if (!again) return;
        due_ += period_;
        auto now = SteadyClock::now();
        if (due_ < now) due_ += ((now - due_) / period_ + 1) * period_;  // skip missed beats
        arm();
    }

    asio::strand<asio::any_io_executor> strand_;
    asio::steady_timer timer_;
    const std::chrono::milliseconds period_;
    SteadyClock::time_point due_;
    std::function<void()> fn_;

    mutable std::mutex mutex_;
    std::condition_variable idle_;
    bool cancelled_ = false;
    bool fired_once_ = false;
    bool running_ = false;
    std::thread::id runner_;
};

TimerService::TimerService(asio::any_io_executor executor) : executor_(std::move(executor)) {}

TimerService::~TimerService() {
    std::map<TimerId, std::shared_ptr<Timer>> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(timers_);
    }
    for (auto& [id, timer] : all) timer->cancel();
}

TimerId TimerService::add(std::chrono::milliseconds delay, std::chrono::milliseconds period,
                          std::function<void()> fn) {
    auto timer = std::make_shared<Timer>(executor_, std::max(period, std::chrono::milliseconds(0)), std::move(fn));
    TimerId id;
    {
        std::lock_guard lock(mutex_);
        purge_finished_locked();
        id = next_id_++;
        timers_.emplace(id, timer);
    }
    timer->start(std::max(delay, std::chrono::milliseconds(0)));
    return id;
}

bool TimerService::cancel(TimerId id) {
    std::shared_ptr<Timer> timer;
    {
        std::lock_guard lock(mutex_);
        auto it = timers_.find(id);
        if (it == timers_.end()) return false;
        timer = std::move(it->second);
        timers_.erase(it);
    }
    bool was_pending = !timer->finished();
    timer->cancel();  // outside the lock: may wait for the callback
    return was_pending;
}

bool TimerService::active(TimerId id) const {
    std::lock_guard lock(mutex_);
    auto it = timers_.find(id);
    return it != timers_.end() && !it->second->finished();
}

size_t TimerService::active_count() const {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const auto& [id, timer] : timers_) n += !timer->finished();
    return n;
}

// One-shot timers that fired stay in the map until the next add(): no
// callback ever has to reach back into the service.
void TimerService::purge_finished_locked() {
    std::erase_if(timers_, [](const auto& entry) { return entry.second->finished(); });
}

}  // namespace cowork::kernel::scheduler
