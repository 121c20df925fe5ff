// kernel/bus/event.hpp — what travels on the bus.
#pragma once

#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

namespace cowork::kernel::bus {

// A payload is either structured JSON (kernel publishers) or opaque bytes
// (plugins publishing through the C ABI); the bus never converts on publish.
using Payload = std::variant<Json, std::string>;

struct Event {
    std::string topic;
    Payload payload;
    // Global, strictly increasing in publish order. Events from one publisher
    // reach every subscriber in sequence order; events from concurrent
    // publishers may interleave, so a subscriber may see 7 before 6.
    uint64_t sequence = 0;
    std::chrono::system_clock::time_point timestamp;

    // The payload as text: JSON is serialized, strings pass through.
    std::string payload_text() const;
};

// Size in bytes used for the payload cap (serialized size for JSON).
size_t payload_size(const Payload& payload);

}  // namespace cowork::kernel::bus
