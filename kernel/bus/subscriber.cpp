// kernel/bus/subscriber.cpp
#include "bus/subscriber.hpp"

#include "core/log.hpp"

#include <algorithm>

namespace cowork::kernel::bus {

const char* to_string(QueuePolicy policy) {
    return policy == QueuePolicy::Lossless ? "lossless" : "drop_oldest";
}

Json SubscriberStats::to_json() const {
    return Json{{"id", id},           {"pattern", pattern},       {"owner", owner},
                {"policy", to_string(policy)}, {"capacity", capacity}, {"queued", queued},
                {"high_water", high_water},    {"delivered", delivered}, {"dropped", dropped},
                {"failed", failed}};
}

}  // namespace cowork::kernel::bus

namespace cowork::kernel::bus::detail {
namespace {
// Events handled per strand turn before yielding, so one busy subscriber
// cannot monopolise a pool thread while others wait.
constexpr int kEventsPerTurn = 64;
}  // namespace

Subscriber::Subscriber(uint64_t id, TopicPattern pattern, Handler handler, SubscribeOptions options,
                       asio::any_io_executor executor)
    : id_(id),
      pattern_(std::move(pattern)),
      handler_(std::move(handler)),
      options_(std::move(options)),
      strand_(asio::make_strand(std::move(executor))) {}

Subscriber::Offer Subscriber::offer(std::shared_ptr<const Event> event, std::chrono::milliseconds max_wait) {
    std::unique_lock lock(mutex_);
    if (closed_) return Offer::Closed;
    if (queue_.size() >= options_.capacity) {
        if (options_.policy == QueuePolicy::DropOldest) {
            queue_.pop_front();
            ++dropped_;
        } else {
            if (handler_thread_ == std::this_thread::get_id()) return Offer::WouldDeadlock;
            bool room = space_cv_.wait_for(lock, max_wait,
                                           [&] { return closed_ || queue_.size() < options_.capacity; });
            if (!room) return Offer::TimedOut;
            if (closed_) return Offer::Closed;
        }
    }
    queue_.push_back(std::move(event));
    high_water_ = std::max(high_water_, queue_.size());
    bool post_drain = !drain_posted_;
    drain_posted_ = true;
    lock.unlock();
    if (post_drain) asio::post(strand_, [self = shared_from_this()] { self->drain(); });
    return Offer::Queued;
}

void Subscriber::close() {
    Handler retired;  // destroyed outside the lock, after the last call
    {
        std::unique_lock lock(mutex_);
        closed_ = true;
        queue_.clear();
        if (handler_thread_ != std::this_thread::get_id())
            idle_cv_.wait(lock, [&] { return !running_; });
        if (!running_) retired = std::move(handler_);
    }
    space_cv_.notify_all();  // blocked Lossless publishers give up (Closed)
}

SubscriberStats Subscriber::stats() const {
    std::lock_guard lock(mutex_);
    SubscriberStats s;
    s.id = id_;
    s.pattern = pattern_.text();
    s.owner = options_.owner;
    s.policy = options_.policy;
    s.capacity = options_.capacity;
    s.queued = queue_.size();
    s.high_water = high_water_;
    s.delivered = delivered_;
    s.dropped = dropped_;
    s.failed = failed_;
    return s;
}

// Pops the next event and marks the handler running, or clears drain_posted_
// when there is nothing (more) to do.
bool Subscriber::take_next(std::shared_ptr<const Event>& event) {
    Handler retired;  // destroyed after the lock is released
    std::lock_guard lock(mutex_);
    if (closed_ || queue_.empty()) {
        drain_posted_ = false;
        if (closed_) retired = std::move(handler_);  // close() from inside the handler left it to us
        return false;
    }
    event = std::move(queue_.front());
    queue_.pop_front();
    running_ = true;
    handler_thread_ = std::this_thread::get_id();
    return true;
}

void Subscriber::invoke(const Event& event, bool& failed) {
    try {
        handler_(event);
    } catch (const std::exception& e) {
        failed = true;
        logger()->warn("bus: subscriber {} ('{}') threw on '{}': {}", id_, pattern_.text(), event.topic,
                       e.what());
    } catch (...) {
        failed = true;
        logger()->warn("bus: subscriber {} ('{}') threw on '{}'", id_, pattern_.text(), event.topic);
    }
}

void Subscriber::finish_delivery(bool failed) {
    {
        std::lock_guard lock(mutex_);
        running_ = false;
        handler_thread_ = {};
        ++delivered_;
        if (failed) ++failed_;
    }
    idle_cv_.notify_all();
}

void Subscriber::drain() {
    for (int handled = 0; handled < kEventsPerTurn; ++handled) {
        std::shared_ptr<const Event> event;
        if (!take_next(event)) return;
        space_cv_.notify_all();
        bool failed = false;
        invoke(*event, failed);
        finish_delivery(failed);
    }
    // Turn used up with work left: continue later, keeping drain_posted_ set
    // so no second drain can start and reorder events.
    asio::post(strand_, [self = shared_from_this()] { self->drain(); });
}

}  // namespace cowork::kernel::bus::detail
