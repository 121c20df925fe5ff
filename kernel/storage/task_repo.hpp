// kernel/storage/task_repo.hpp — task rows (the journal of what happened is TaskEventJournal).
#pragma once

#include "storage/clock.hpp"
#include "storage/database.hpp"
#include "storage/task_event_journal.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::storage {

// Status strings the kernel uses; the column is free text so later states
// need no migration. "completed", "failed" and "cancelled" are terminal
// and stamp completed_at.
namespace task_status {
inline constexpr const char* queued = "queued";
inline constexpr const char* running = "running";
inline constexpr const char* waiting_approval = "waiting_approval";
inline constexpr const char* interrupted = "interrupted";
inline constexpr const char* completed = "completed";
inline constexpr const char* failed = "failed";
inline constexpr const char* cancelled = "cancelled";
bool is_terminal(const std::string& status);
}  // namespace task_status

struct Task {
    std::string id;  // empty on create: one is generated ("task_…")
    std::optional<std::string> workspace_id;
    std::string title;
    std::string prompt;
    std::string status = task_status::queued;
    Json source = Json::object();  // where it came from (frontend, channel, cron …)
    Json budget = Json::object();
    Json result = nullptr;
    std::optional<std::string> error;
    std::optional<std::string> parent_id;
    UnixMillis created_at = 0;
    UnixMillis updated_at = 0;
    std::optional<UnixMillis> completed_at;
};

struct TaskFilter {
    std::optional<std::string> workspace_id;
    std::vector<std::string> statuses;  // empty: any
    std::optional<std::string> parent_id;
    std::optional<UnixMillis> created_after;
    int limit = 100;
    int offset = 0;
};

struct TaskStatusUpdate {
    std::string status;
    std::optional<Json> result;          // set when given
    std::optional<std::string> error;    // set when given
};

// [any-thread] Holds a reference to the Database, which must outlive it.
class TaskRepo {
public:
    explicit TaskRepo(Database& db) : db_(db) {}

    std::future<Result<Task>> create(Task task);
    // Returns the updated task; "storage.not_found" for an unknown id.
    std::future<Result<Task>> update_status(const std::string& id, TaskStatusUpdate update);
    // update_status plus its "task.state" journal row (payload `state`) in
    // one transaction: no reader, and no restart after kill -9, ever sees the
    // new status without the row. `on_committed` runs on the writer thread.
    struct Transitioned {
        Task task;
        TaskEvent event;
    };
    std::future<Result<Transitioned>> transition(const std::string& id, TaskStatusUpdate update, const Json& state,
                                                 std::function<void(const TaskEvent&)> on_committed = {});

    Result<std::optional<Task>> get(const std::string& id) const;
    // Newest first.
    Result<std::vector<Task>> list(const TaskFilter& filter = {}) const;

private:
    Database& db_;
};

}  // namespace cowork::kernel::storage
