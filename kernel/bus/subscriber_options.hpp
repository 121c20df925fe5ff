// kernel/bus/subscriber_options.hpp — how a subscriber wants its events queued.
#pragma once

#include "bus/event.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace cowork::kernel::bus {

enum class QueuePolicy {
    // Never drops. When the queue is full, publish() blocks the publisher
    // until there is room, at most BusOptions::lossless_max_wait; after that
    // publish returns "bus.publish_timeout" for this subscriber (the event
    // is not queued for it). The journal subscriber uses this.
    Lossless,
    // When the queue is full the oldest queued event is discarded and the
    // subscriber's `dropped` counter incremented; publish never waits.
    // Observers and the UI use this.
    DropOldest,
};

const char* to_string(QueuePolicy policy);

struct SubscribeOptions {
    QueuePolicy policy = QueuePolicy::DropOldest;
    size_t capacity = 1024;  // queued events, not bytes; at least 1
    std::string owner;       // who subscribed ("kernel.journal", a plugin id): for stats
};

// Runs on the subscriber's own strand, one event at a time, in queue order.
// An exception thrown by a handler is caught, logged and counted as `failed`.
using Handler = std::function<void(const Event&)>;

struct SubscriberStats {
    uint64_t id = 0;
    std::string pattern;
    std::string owner;
    QueuePolicy policy = QueuePolicy::DropOldest;
    size_t capacity = 0;
    size_t queued = 0;
    size_t high_water = 0;  // most events ever waiting at once
    uint64_t delivered = 0;
    uint64_t dropped = 0;
    uint64_t failed = 0;

    Json to_json() const;
};

}  // namespace cowork::kernel::bus
