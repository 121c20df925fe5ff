// kernel/outbox/outbox.hpp — delivers queued messages through a
// ChannelSender, retrying with backoff, dead-lettering what keeps failing.
//
// At-least-once: an item is marked `sending` before the send and settled
// after it; a crash in between leaves it `sending`, and recover() at the
// next boot puts it back to `pending` (the channel sees the idempotency key
// again and can drop the duplicate).
#pragma once

#include "bus/event_bus.hpp"
#include "outbox/channel_sender.hpp"
#include "outbox/outbox_store.hpp"
#include "scheduler/clock.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

namespace cowork::kernel::outbox {

using JitterSource = std::function<std::chrono::milliseconds()>;

class Outbox {
public:
    // `db`, `clock` and `bus` (optional) must outlive the outbox.
    Outbox(storage::Database& db, const scheduler::Clock& clock, bus::EventBus* bus, JitterSource jitter = {});

    // [any-thread] Installs the sender (the kernel's channels). Until one is
    // set, items wait `pending` without spending attempts.
    void set_sender(std::shared_ptr<ChannelSender> sender);
    bool has_sender() const;
    // [any-thread] Called after each new item is stored (the worker's poke).
    void on_enqueued(std::function<void()> callback);

    // [any-thread] Errors: outbox.invalid (names the missing field).
    Result<OutboxStore::Enqueued> enqueue(const NewDelivery& delivery);

    // [main, at boot] sending → pending; returns how many were requeued.
    Result<int64_t> recover();

    // [worker] Sends every item due now, one at a time; returns the number
    // of send attempts made. Calls from several threads are serialized.
    size_t deliver_due(int limit = 32);

    Result<std::vector<OutboxItem>> list(const std::optional<std::string>& state, int limit) const;
    Result<OutboxItem> retry(const std::string& id);
    OutboxStore& store() { return store_; }

private:
    int64_t now_ms() const;
    void deliver(OutboxItem item, ChannelSender& sender);
    void publish(const char* topic, const OutboxItem& item) const;

    OutboxStore store_;
    const scheduler::Clock& clock_;
    bus::EventBus* bus_;
    JitterSource jitter_;
    mutable std::mutex sender_mutex_;
    std::shared_ptr<ChannelSender> sender_;
    std::function<void()> on_enqueued_;  // guarded by sender_mutex_
    std::mutex deliver_mutex_;  // one delivery pass at a time
};

}  // namespace cowork::kernel::outbox
