// kernel/bus/subscriber.hpp — one subscriber: a bounded queue drained on its own strand.
// Internal to the bus; use EventBus::subscribe.
#pragma once

#include "bus/subscriber_options.hpp"
#include "bus/topic_pattern.hpp"
#include "core/asio.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace cowork::kernel::bus::detail {

class Subscriber : public std::enable_shared_from_this<Subscriber> {
public:
    Subscriber(uint64_t id, TopicPattern pattern, Handler handler, SubscribeOptions options,
               asio::any_io_executor executor);

    enum class Offer { Queued, Closed, TimedOut, WouldDeadlock };

    // [any-thread] Queue an event according to the policy. Lossless may
    // block up to `max_wait`; a Lossless handler publishing to its own full
    // queue gets WouldDeadlock at once (it is the only one who could drain it).
    Offer offer(std::shared_ptr<const Event> event, std::chrono::milliseconds max_wait);

    // [any-thread] Stop deliveries and discard the queue. On return the
    // handler is not running and never will again — except when called from
    // inside this subscriber's own handler, where it cannot wait for itself:
    // then the running call is the last one.
    void close();

    bool matches(std::string_view topic) const { return pattern_.matches(topic); }
    uint64_t id() const { return id_; }
    SubscriberStats stats() const;

private:
    void drain();
    bool take_next(std::shared_ptr<const Event>& event);
    void finish_delivery(bool failed);
    void invoke(const Event& event, bool& failed);

    const uint64_t id_;
    const TopicPattern pattern_;
    Handler handler_;
    const SubscribeOptions options_;
    asio::strand<asio::any_io_executor> strand_;

    mutable std::mutex mutex_;
    std::condition_variable space_cv_;  // Lossless publishers waiting for room
    std::condition_variable idle_cv_;   // close() waiting for the handler to return
    std::deque<std::shared_ptr<const Event>> queue_;
    bool drain_posted_ = false;  // one drain in flight at a time keeps order strict
    bool running_ = false;
    bool closed_ = false;
    std::thread::id handler_thread_;
    size_t high_water_ = 0;
    uint64_t delivered_ = 0;
    uint64_t dropped_ = 0;
    uint64_t failed_ = 0;
};

}  // namespace cowork::kernel::bus::detail
