#include "storage/task_event_journal.hpp"

#include "storage/json_redact.hpp"
#include "storage/sqlite.hpp"

namespace cowork::kernel::storage {
namespace {

// Cuts at a UTF-8 character boundary so the preview stays valid text.
std::string utf8_prefix(const std::string& text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

TaskEvent from_row(const Json& row) {
    return TaskEvent{row.at("task_id").get<std::string>(), row.at("seq").get<std::int64_t>(),
                     row.at("ts").get<UnixMillis>(), row.at("type").get<std::string>(),
                     parse_json_column(row.at("payload"))};
}

}  // namespace

Json sanitize_event_payload(const Json& payload) {
    // Redact first: a secret straddling the cut must not survive as a prefix.
    Json clean = redact_json(payload);
    const std::string text = clean.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (text.size() <= kMaxPayloadBytes) return clean;
    // Leave room for the wrapper and for JSON-escaping of the preview.
    // Escaping can at most double the preview, so half the cap (minus the
    // wrapper's own bytes) always fits.
    const std::string preview = utf8_prefix(text, kMaxPayloadBytes / 2 - 64);
    return Json{{"truncated", true}, {"original_bytes", text.size()}, {"preview", preview}};
}

Status insert_task_event(sqlite3* db, TaskEvent& event) {
    auto row = query_one(db,
                         "INSERT INTO task_events(task_id, seq, ts, type, payload)"
                         " VALUES(?1, (SELECT COALESCE(MAX(seq),0)+1 FROM task_events WHERE task_id=?1),"
                         " ?2, ?3, ?4) RETURNING seq",
                         Json::array({event.task_id, event.ts, event.type, event.payload.dump()}));
    if (!row) return std::move(row).error();
    event.seq = row->at("seq").get<std::int64_t>();
    return ok_status();
}

std::future<Result<TaskEvent>> TaskEventJournal::append(const std::string& task_id, const std::string& type,
                                                        const Json& payload, Committed on_committed) {
    TaskEvent event{task_id, 0, now_ms(), type, sanitize_event_payload(payload)};
    std::function<void(const Result<TaskEvent>&)> done;
    if (on_committed)
        done = [cb = std::move(on_committed)](const Result<TaskEvent>& r) {
            if (r) cb(r.value());
        };
    return db_.write<TaskEvent>(
        [event = std::move(event)](sqlite3* db) mutable -> Result<TaskEvent> {
            if (auto s = insert_task_event(db, event); !s) return std::move(s).error();
            return event;
        },
        std::move(done));
}

Result<std::vector<TaskEvent>> TaskEventJournal::list_after(const std::string& task_id, std::int64_t after_seq,
                                                            int limit) const {
    return db_.read<std::vector<TaskEvent>>([&](sqlite3* db) -> Result<std::vector<TaskEvent>> {
        auto rows = query(db,
                          "SELECT task_id, seq, ts, type, payload FROM task_events"
                          " WHERE task_id=? AND seq>? ORDER BY seq LIMIT ?",
                          Json::array({task_id, after_seq, limit}));
        if (!rows) return std::move(rows).error();
        std::vector<TaskEvent> out;
        for (const auto& row : *rows) out.push_back(from_row(row));
        return out;
    });
}

Result<std::int64_t> TaskEventJournal::last_seq(const std::string& task_id) const {
    return db_.read<std::int64_t>([&](sqlite3* db) -> Result<std::int64_t> {
        auto row = query_one(db, "SELECT COALESCE(MAX(seq),0) AS seq FROM task_events WHERE task_id=?",
                             Json::array({task_id}));
        if (!row) return std::move(row).error();
        return row->at("seq").get<std::int64_t>();
    });
}

}  // namespace cowork::kernel::storage
