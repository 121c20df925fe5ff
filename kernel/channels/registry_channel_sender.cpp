#include "channels/registry_channel_sender.hpp"

namespace cowork::kernel::channels {

Result<Json> RegistryChannelSender::send(const outbox::Delivery& d) {
    if (d.channel_id.empty())
        return make_error(kNotFound, "delivery " + d.id + " names no channel", {{"permanent", true}});
    Json message{{"chatId", d.to}, {"text", d.text}};
    // The delivery id keys a retry of the same delivery when the producer gave no key.
    message["idempotencyKey"] = d.idempotency_key.empty() ? d.id : d.idempotency_key;
    auto sent = registry_.send(d.channel_id, message);
    if (!sent) return sent;
    return Json{{"messageId", sent->value("messageId", Json())}};
}

}  // namespace cowork::kernel::channels
