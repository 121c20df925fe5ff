// kernel/outbox/outbox_store.hpp — the persistent delivery queue (table
// `outbox`, migration set "outbox") in cowork.db.
//
// Item states: pending → sending → delivered | pending (retry) | dead_letter.
// A unique idempotency key makes enqueueing the same delivery twice a no-op.
#pragma once

#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::outbox {

storage::MigrationSet outbox_migrations();

struct OutboxItem {
    std::string id;
    std::string channel_id, to, text, idempotency_key;
    Json source = Json::object();
    int attempts = 0;
    int64_t next_attempt_at = 0;  // Unix ms
    std::string state;            // pending | sending | delivered | dead_letter
    std::string last_error;
    Json result = nullptr;        // the sender's answer ({"messageId":…}) once delivered
    int64_t created_at = 0;
    std::optional<int64_t> delivered_at;

    Json to_json() const;
};

struct NewDelivery {
    std::string channel_id, to, text, idempotency_key;
    Json source = Json::object();
};

// Thread-safe: every write goes through the database's single writer and is
// awaited; reads use the pooled read connections.
class OutboxStore {
public:
    explicit OutboxStore(storage::Database& db) : db_(db) {}

    // The existing item when the key was enqueued before (inserted = false).
    struct Enqueued {
        OutboxItem item;
        bool inserted = false;
    };
    Result<Enqueued> enqueue(const NewDelivery& d, int64_t now_ms);

    // Pending items due at `now_ms`, oldest first.
    Result<std::vector<OutboxItem>> due(int64_t now_ms, int limit) const;
    // pending → sending; false when another worker took it first.
    Result<bool> claim(const std::string& id);
    Status mark_delivered(const std::string& id, int attempts, const Json& result, int64_t now_ms);
    // sending → pending (retry at next_attempt_at) or dead_letter.
    Status mark_failed(const std::string& id, int attempts, const std::string& error, bool dead,
                       int64_t next_attempt_at);
    // sending → pending for every item: run at boot, when no worker can be
    // mid-send, so a crash during a send is retried (at-least-once).
    Result<int64_t> requeue_sending(int64_t now_ms);
    // dead_letter → pending with a fresh attempt budget.
    Result<OutboxItem> retry(const std::string& id, int64_t now_ms);

    Result<std::optional<OutboxItem>> get(const std::string& id) const;
    Result<std::vector<OutboxItem>> list(const std::optional<std::string>& state, int limit) const;

private:
    Status write(std::string sql, Json params, bool require_change, const std::string& id);

    storage::Database& db_;
};

}  // namespace cowork::kernel::outbox
