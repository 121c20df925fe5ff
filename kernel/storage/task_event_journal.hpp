// kernel/storage/task_event_journal.hpp — the append-only history of each task.
//
// seq is per task, starts at 1 and has no gaps: it is assigned inside the
// writer's transaction (MAX(seq)+1 under the write lock), so concurrent
// appends — even from several processes — never collide, and a failed
// append rolls back with its savepoint instead of leaving a hole.
// Payloads are redacted (core/redactor.hpp) and capped at kMaxPayloadBytes
// of serialized JSON; an oversized payload is replaced by
// {"truncated":true,"original_bytes":N,"preview":"<first bytes>"}.
// The journal publishes nothing; pass on_committed to publish on the bus.
#pragma once

#include "storage/clock.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cowork::kernel::storage {

inline constexpr std::size_t kMaxPayloadBytes = 64 * 1024;

struct TaskEvent {
    std::string task_id;
    std::int64_t seq = 0;
    UnixMillis ts = 0;
    std::string type;  // "task.created", "tool.call", …
    Json payload = Json::object();
};

// Redaction + size cap as applied by append(); exposed for tests and the API.
Json sanitize_event_payload(const Json& payload);

// Inserts `event` (payload already sanitized) inside the caller's write job
// and fills in its seq: for rows that must commit together with another
// change, such as a task's status and its "task.state" event.
Status insert_task_event(sqlite3* db, TaskEvent& event);

// [any-thread] Holds a reference to the Database, which must outlive it.
class TaskEventJournal {
public:
    // Runs on the writer thread after the event committed (see write_job.hpp).
    using Committed = std::function<void(const TaskEvent&)>;

    explicit TaskEventJournal(Database& db) : db_(db) {}

    // Resolves to the stored event (with its seq and the payload as stored).
    std::future<Result<TaskEvent>> append(const std::string& task_id, const std::string& type, const Json& payload,
                                          Committed on_committed = {});

    // Events of `task_id` with seq > after_seq, in order, at most `limit`.
    Result<std::vector<TaskEvent>> list_after(const std::string& task_id, std::int64_t after_seq = 0,
                                              int limit = 1000) const;
    // 0 when the task has no events.
    Result<std::int64_t> last_seq(const std::string& task_id) const;

private:
    Database& db_;
};

}  // namespace cowork::kernel::storage
