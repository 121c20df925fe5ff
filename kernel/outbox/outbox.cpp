// kernel/outbox/outbox.cpp
#include "outbox/outbox.hpp"

#include "core/log.hpp"
#include "outbox/retry_backoff.hpp"

namespace cowork::kernel::outbox {

Outbox::Outbox(storage::Database& db, const scheduler::Clock& clock, bus::EventBus* bus, JitterSource jitter)
    : store_(db), clock_(clock), bus_(bus), jitter_(jitter ? std::move(jitter) : JitterSource(random_jitter)) {}

int64_t Outbox::now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
}

void Outbox::set_sender(std::shared_ptr<ChannelSender> sender) {
    std::lock_guard lock(sender_mutex_);
    sender_ = std::move(sender);
}

bool Outbox::has_sender() const {
    std::lock_guard lock(sender_mutex_);
    return sender_ != nullptr;
}

Result<OutboxStore::Enqueued> Outbox::enqueue(const NewDelivery& d) {
    auto missing = [](const char* field) {
        return make_error("outbox.invalid", std::string("a delivery needs ") + field, Json{{"field", field}});
    };
    if (d.channel_id.empty()) return missing("channelId");
    if (d.to.empty()) return missing("to");
    if (d.idempotency_key.empty()) return missing("idempotencyKey");
    auto stored = store_.enqueue(d, now_ms());
    if (stored && stored->inserted) {
        std::function<void()> notify;
        {
            std::lock_guard lock(sender_mutex_);
            notify = on_enqueued_;
        }
        if (notify) notify();
    }
    return stored;
}

void Outbox::on_enqueued(std::function<void()> callback) {
    std::lock_guard lock(sender_mutex_);
    on_enqueued_ = std::move(callback);
}

Result<int64_t> Outbox::recover() {
    auto n = store_.requeue_sending(now_ms());
    if (n && *n > 0) logger()->info("outbox: {} delivery(ies) interrupted mid-send are pending again", *n);
    return n;
}

size_t Outbox::deliver_due(int limit) {
    std::shared_ptr<ChannelSender> sender;
    {
        std::lock_guard lock(sender_mutex_);
        sender = sender_;
    }
    if (!sender) return 0;
    std::lock_guard pass(deliver_mutex_);
    auto due = store_.due(now_ms(), limit);
    if (!due) {
        logger()->warn("outbox: cannot read due deliveries: {}", due.error().message);
        return 0;
    }
    size_t attempts = 0;
    for (auto& item : *due) {
        auto claimed = store_.claim(item.id);
        if (!claimed || !*claimed) continue;
        deliver(std::move(item), *sender);
        ++attempts;
    }
    return attempts;
}

void Outbox::deliver(OutboxItem item, ChannelSender& sender) {
    Result<Json> sent = make_error("outbox.sender_threw", "the channel sender threw");
    try {
        sent = sender.send(Delivery{item.id, item.channel_id, item.to, item.text, item.idempotency_key, item.source});
    } catch (const std::exception& e) {
        sent = make_error("outbox.sender_threw", std::string("the channel sender threw: ") + e.what());
    }
    item.attempts += 1;
    if (sent) {
        if (auto st = store_.mark_delivered(item.id, item.attempts, *sent, now_ms()); !st)
            logger()->error("outbox: delivery {} sent but not recorded: {}", item.id, st.error().message);
        item.state = "delivered";
        item.result = *sent;
        publish("outbox.delivered", item);
        return;
    }
    const Error& error = sent.error();
    const bool permanent = error.details.is_object() && error.details.value("permanent", false);
    const bool dead = permanent || item.attempts >= kMaxAttempts;
    const int64_t next = now_ms() + retry_delay(item.attempts, jitter_()).count();
    item.last_error = error.message;
    if (auto st = store_.mark_failed(item.id, item.attempts, error.message, dead, next); !st)
        logger()->error("outbox: delivery {} failed and could not be rescheduled: {}", item.id, st.error().message);
    if (dead) {
        item.state = "dead_letter";
        logger()->warn("outbox: delivery {} to {} dead-lettered after {} attempt(s): {} (retry with outbox.retry)",
                       item.id, item.channel_id, item.attempts, error.message);
        publish("outbox.dead_letter", item);
    }
}

// Events carry where and how, not the message text: subscribers that need
// the text read the item through the API with their own scopes.
void Outbox::publish(const char* topic, const OutboxItem& item) const {
    if (!bus_) return;
    Json payload{{"id", item.id},           {"channelId", item.channel_id}, {"to", item.to},
                 {"idempotencyKey", item.idempotency_key}, {"source", item.source},
                 {"attempts", item.attempts}, {"state", item.state}};
    if (!item.last_error.empty()) payload["lastError"] = item.last_error;
    if (item.result.is_object() && item.result.contains("messageId")) payload["messageId"] = item.result["messageId"];
    if (auto st = bus_->publish(topic, payload); !st) logger()->debug("outbox: publish {}: {}", topic, st.error().message);
}

Result<std::vector<OutboxItem>> Outbox::list(const std::optional<std::string>& state, int limit) const {
    return store_.list(state, limit);
}

Result<OutboxItem> Outbox::retry(const std::string& id) { return store_.retry(id, now_ms()); }

}  // namespace cowork::kernel::outbox
