// kernel/outbox/channel_sender.hpp — how the outbox hands one delivery to a
// channel. The kernel's channels component implements it for real channels;
// tests implement it with a scripted sender.
#pragma once

#include "core/result.hpp"

#include <string>

namespace cowork::kernel::outbox {

struct Delivery {
    std::string id, channel_id, to, text, idempotency_key;
    Json source;
};

// Sends one delivery; returns {"messageId":…} or an Error. A "permanent" error
// (details.permanent = true, e.g. unknown channel) dead-letters at once.
// [worker] Called from the outbox worker, one delivery at a time; may block
// (network), so it never runs on a bus strand.
class ChannelSender {
public:
    virtual ~ChannelSender() = default;
    virtual Result<Json> send(const Delivery& d) = 0;
};

}  // namespace cowork::kernel::outbox
