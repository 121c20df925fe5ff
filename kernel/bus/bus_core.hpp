// kernel/bus/bus_core.hpp — the bus state shared with Subscription handles.
// Internal: Subscriptions hold it weakly so they may outlive the EventBus.
#pragma once

#include "bus/event_bus.hpp"
#include "bus/subscriber.hpp"

#include <atomic>
#include <mutex>

namespace cowork::kernel::bus::detail {

class BusCore {
public:
    BusCore(asio::any_io_executor executor, BusOptions options);

    Status publish(std::string_view topic, Payload payload);
    Result<uint64_t> subscribe(std::string_view pattern, Handler handler, SubscribeOptions options);
    void unsubscribe(uint64_t id);
    void close_all();

    std::vector<SubscriberStats> subscriber_stats() const;
    Json stats() const;
    uint64_t last_sequence() const { return sequence_.load(); }

private:
    using SubscriberList = std::vector<std::shared_ptr<Subscriber>>;

    std::shared_ptr<const SubscriberList> snapshot() const;
    Status deliver(const std::shared_ptr<const Event>& event);

    const asio::any_io_executor executor_;
    const BusOptions options_;

    mutable std::mutex mutex_;  // guards subscribers_ (copy-on-write) and next_id_
    std::shared_ptr<const SubscriberList> subscribers_ = std::make_shared<SubscriberList>();
    uint64_t next_id_ = 1;

    std::atomic<uint64_t> sequence_{0};
    std::atomic<uint64_t> published_{0};
    std::atomic<uint64_t> refused_{0};
};

}  // namespace cowork::kernel::bus::detail
