// kernel/channels/registry_channel_sender.hpp — the outbox's ChannelSender
// over the channel registry: a delivery goes out through its instance's
// plugin `send` as {channelId, chatId: to, text, idempotencyKey}.
//
//   channels::RegistryChannelSender sender(*k.channels);   // k.channels outlives the outbox
//   outbox::Outbox box(..., sender);
//
// Unknown or disabled channels, and refusals the plugin calls permanent
// (invalid / not_found / denied), come back with details.permanent = true
// and dead-letter at once; a channel that is not open yet, a plugin that is
// down or restarting, and any other plugin failure are retryable.
#pragma once

#include "channels/channel_registry.hpp"
#include "outbox/channel_sender.hpp"

namespace cowork::kernel::channels {

class RegistryChannelSender final : public outbox::ChannelSender {
public:
    explicit RegistryChannelSender(ChannelRegistry& registry) : registry_(registry) {}
    // [worker] May block for as long as the plugin's send takes.
    Result<Json> send(const outbox::Delivery& d) override;

private:
    ChannelRegistry& registry_;
};

}  // namespace cowork::kernel::channels
