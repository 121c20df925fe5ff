// kernel/outbox/outbox_store.cpp
#include "outbox/outbox_store.hpp"

#include "storage/ids.hpp"
#include "storage/sqlite.hpp"

namespace cowork::kernel::outbox {
namespace {

OutboxItem item_from_row(const Json& row) {
    OutboxItem it;
    it.id = row.value("id", "");
    it.channel_id = row.value("channel_id", "");
    it.to = row.value("recipient", "");
    it.text = row.value("text", "");
    it.idempotency_key = row.value("idempotency_key", "");
    it.source = storage::parse_json_column(row.value("source", Json(nullptr)));
    if (!it.source.is_object()) it.source = Json::object();
    it.attempts = row.value("attempts", 0);
    it.next_attempt_at = row.value("next_attempt_at", int64_t{0});
    it.state = row.value("state", "");
    it.last_error = row["last_error"].is_string() ? row["last_error"].get<std::string>() : "";
    it.result = storage::parse_json_column(row.value("result", Json(nullptr)));
    it.created_at = row.value("created_at", int64_t{0});
    if (row["delivered_at"].is_number_integer()) it.delivered_at = row["delivered_at"].get<int64_t>();
    return it;
}

Result<std::optional<OutboxItem>> one_by(sqlite3* c, const char* column, const std::string& value) {
    auto row = storage::query_one(c, std::string("SELECT * FROM outbox WHERE ") + column + " = ?", Json::array({value}));
    if (!row) return row.error();
    if (row->is_null()) return std::optional<OutboxItem>{};
    return std::optional<OutboxItem>(item_from_row(*row));
}

}  // namespace

Json OutboxItem::to_json() const {
    Json j{{"id", id},
           {"channelId", channel_id},
           {"to", to},
           {"text", text},
           {"idempotencyKey", idempotency_key},
           {"source", source},
           {"attempts", attempts},
           {"nextAttemptAt", next_attempt_at},
           {"state", state},
           {"lastError", last_error.empty() ? Json(nullptr) : Json(last_error)},
           {"result", result},
           {"createdAt", created_at},
           {"deliveredAt", delivered_at ? Json(*delivered_at) : Json(nullptr)}};
    return j;
}

storage::MigrationSet outbox_migrations() {
    return {"outbox",
            {{1, "outbox",
              "CREATE TABLE outbox ("
              " id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, recipient TEXT NOT NULL, text TEXT NOT NULL,"
              " idempotency_key TEXT NOT NULL UNIQUE, source TEXT NOT NULL DEFAULT '{}',"
              " attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,"
              " state TEXT NOT NULL CHECK (state IN ('pending','sending','delivered','dead_letter')),"
              " last_error TEXT, result TEXT, created_at INTEGER NOT NULL, delivered_at INTEGER);"
              "CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"}}};
}

Result<OutboxStore::Enqueued> OutboxStore::enqueue(const NewDelivery& d, int64_t now_ms) {
    const std::string id = storage::new_id("dlv_");
    const Json params = {id, d.channel_id, d.to, d.text, d.idempotency_key, storage::json_column(d.source), now_ms};
    const std::string key = d.idempotency_key;
    return db_.write<Enqueued>([params, key](sqlite3* c) -> Result<Enqueued> {
                  auto inserted = storage::execute(
                      c,
                      "INSERT INTO outbox (id, channel_id, recipient, text, idempotency_key, source, attempts,"
                      " next_attempt_at, state, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, 'pending', ?7)"
                      " ON CONFLICT(idempotency_key) DO NOTHING",
                      params);
                  if (!inserted) return inserted.error();
                  auto item = one_by(c, "idempotency_key", key);
                  if (!item) return item.error();
                  if (!*item) return make_error("outbox.lost", "delivery " + key + " vanished while being enqueued");
                  return Enqueued{std::move(**item), *inserted == 1};
              })
        .get();
}

Result<std::vector<OutboxItem>> OutboxStore::due(int64_t now_ms, int limit) const {
    return db_.read<std::vector<OutboxItem>>([&](sqlite3* c) -> Result<std::vector<OutboxItem>> {
        auto rows = storage::query(c,
                                   "SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?1"
                                   " ORDER BY next_attempt_at, created_at LIMIT ?2",
                                   Json::array({now_ms, limit}));
        if (!rows) return rows.error();
        std::vector<OutboxItem> out;
        for (const auto& r : *rows) out.push_back(item_from_row(r));
        return out;
    });
}

Result<bool> OutboxStore::claim(const std::string& id) {
    return db_.write<bool>([id](sqlite3* c) -> Result<bool> {
                  auto n = storage::execute(c, "UPDATE outbox SET state = 'sending' WHERE id = ? AND state = 'pending'",
                                            Json::array({id}));
                  if (!n) return n.error();
                  return *n == 1;
              })
        .get();
}

Status OutboxStore::write(std::string sql, Json params, bool require_change, const std::string& id) {
    return db_.write<Ok>([sql = std::move(sql), params = std::move(params), require_change, id](sqlite3* c) -> Status {
                  auto n = storage::execute(c, sql, params);
                  if (!n) return n.error();
                  if (require_change && *n == 0)
                      return make_error("outbox.not_found", "no delivery " + id + " in the expected state");
                  return ok_status();
              })
        .get();
}

Status OutboxStore::mark_delivered(const std::string& id, int attempts, const Json& result, int64_t now_ms) {
    return write("UPDATE outbox SET state = 'delivered', attempts = ?2, result = ?3, delivered_at = ?4,"
                 " last_error = NULL WHERE id = ?1 AND state = 'sending'",
                 Json::array({id, attempts, storage::json_column(result), now_ms}), true, id);
}

Status OutboxStore::mark_failed(const std::string& id, int attempts, const std::string& error, bool dead,
                                int64_t next_attempt_at) {
    return write("UPDATE outbox SET state = ?2, attempts = ?3, last_error = ?4, next_attempt_at = ?5"
                 " WHERE id = ?1 AND state = 'sending'",
                 Json::array({id, dead ? "dead_letter" : "pending", attempts, error, next_attempt_at}), true, id);
}

Result<int64_t> OutboxStore::requeue_sending(int64_t now_ms) {
    return db_.write<int64_t>([now_ms](sqlite3* c) -> Result<int64_t> {
                  return storage::execute(
                      c, "UPDATE outbox SET state = 'pending', next_attempt_at = ?1 WHERE state = 'sending'",
                      Json::array({now_ms}));
              })
        .get();
}

Result<OutboxItem> OutboxStore::retry(const std::string& id, int64_t now_ms) {
    return db_.write<OutboxItem>([id, now_ms](sqlite3* c) -> Result<OutboxItem> {
                  auto item = one_by(c, "id", id);
                  if (!item) return item.error();
                  if (!*item) return make_error("outbox.not_found", "no delivery " + id + " (see outbox.list)");
                  if ((*item)->state != "dead_letter")
                      return make_error("outbox.not_dead_letter", "delivery " + id + " is " + (*item)->state +
                                                                      "; only dead letters can be retried");
                  auto n = storage::execute(c,
                                            "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?2"
                                            " WHERE id = ?1",
                                            Json::array({id, now_ms}));
                  if (!n) return n.error();
                  (*item)->state = "pending";
                  (*item)->attempts = 0;
                  (*item)->next_attempt_at = now_ms;
                  return std::move(**item);
              })
        .get();
}

Result<std::optional<OutboxItem>> OutboxStore::get(const std::string& id) const {
    return db_.read<std::optional<OutboxItem>>([&](sqlite3* c) { return one_by(c, "id", id); });
}

Result<std::vector<OutboxItem>> OutboxStore::list(const std::optional<std::string>& state, int limit) const {
    return db_.read<std::vector<OutboxItem>>([&](sqlite3* c) -> Result<std::vector<OutboxItem>> {
        auto rows = state ? storage::query(c, "SELECT * FROM outbox WHERE state = ?1 ORDER BY created_at DESC LIMIT ?2",
                                           Json::array({*state, limit}))
                          : storage::query(c, "SELECT * FROM outbox ORDER BY created_at DESC LIMIT ?1",
                                           Json::array({limit}));
        if (!rows) return rows.error();
        std::vector<OutboxItem> out;
        for (const auto& r : *rows) out.push_back(item_from_row(r));
        return out;
    });
}

}  // namespace cowork::kernel::outbox
