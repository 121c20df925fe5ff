// kernel/bus/event_bus.hpp — publish/subscribe inside the kernel.
//
// Each subscriber has its own strand on a shared executor: a subscriber sees
// its events one at a time and in order, different subscribers run
// concurrently. Queues are bounded per subscriber (see QueuePolicy).
#pragma once

#include "bus/event.hpp"
#include "bus/subscriber_options.hpp"
#include "core/asio.hpp"
#include "core/result.hpp"

#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

namespace cowork::kernel::bus {

namespace detail {
class BusCore;
}

struct BusOptions {
    size_t threads = 2;                         // only when the bus owns its pool
    size_t max_payload_bytes = 1024 * 1024;     // larger payloads are refused
    std::chrono::milliseconds lossless_max_wait{5000};  // see QueuePolicy::Lossless
};

// RAII subscription. Destroying it (or calling unsubscribe()) ends the
// subscription; when that returns the handler is not running and never runs
// again, so code the handler lives in may be unloaded. Called from inside
// the subscriber's own handler it cannot wait for itself: the running call is
// then the last. May outlive the bus (it then does nothing).
class Subscription {
public:
    Subscription() = default;
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    ~Subscription();

    void unsubscribe();
    uint64_t id() const { return id_; }
    bool active() const { return id_ != 0 && !core_.expired(); }

private:
    friend class EventBus;
    Subscription(std::weak_ptr<detail::BusCore> core, uint64_t id) : core_(std::move(core)), id_(id) {}

    std::weak_ptr<detail::BusCore> core_;
    uint64_t id_ = 0;
};

class EventBus {
public:
    // Runs subscribers on a thread pool of its own (options.threads).
    explicit EventBus(BusOptions options = {});
    // Runs subscribers on the kernel's executor (§4: one io_context, small pool).
    explicit EventBus(asio::any_io_executor executor, BusOptions options = {});
    // Ends every subscription (waiting for running handlers), then joins its own pool.
    ~EventBus();
    EventBus(const EventBus&) = delete;
    EventBus& operator=(const EventBus&) = delete;

    // [any-thread] Errors: bus.invalid_topic, bus.payload_too_large (nothing
    // delivered), bus.publish_timeout / bus.would_deadlock (a Lossless
    // subscriber stayed full; every other subscriber did get the event).
    Status publish(std::string_view topic, Payload payload);

    // [any-thread] Error: bus.invalid_pattern.
    Result<Subscription> subscribe(std::string_view pattern, Handler handler, SubscribeOptions options = {});

    std::vector<SubscriberStats> subscriber_stats() const;
    // Snapshot for `cowork doctor`: totals plus one object per subscriber.
    Json stats() const;
    uint64_t last_sequence() const;

private:
    std::unique_ptr<asio::thread_pool> own_pool_;
    std::shared_ptr<detail::BusCore> core_;
};

}  // namespace cowork::kernel::bus
