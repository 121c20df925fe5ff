#include "storage/task_repo.hpp"

#include "storage/ids.hpp"
#include "storage/sqlite.hpp"

namespace cowork::kernel::storage {

bool task_status::is_terminal(const std::string& status) {
    return status == completed || status == failed || status == cancelled;
}

namespace {

constexpr const char* kSelect =
    "SELECT id, workspace_id, title, prompt, status, source, budget, result, error, parent_id,"
    " created_at, updated_at, completed_at FROM tasks";

std::optional<std::string> optional_text(const Json& v) {
    return v.is_null() ? std::nullopt : std::optional<std::string>(v.get<std::string>());
}

Json nullable(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

Task from_row(const Json& row) {
    Task t;
    t.id = row.at("id").get<std::string>();
    t.workspace_id = optional_text(row.at("workspace_id"));
    t.title = row.at("title").get<std::string>();
    t.prompt = row.at("prompt").get<std::string>();
    t.status = row.at("status").get<std::string>();
    t.source = parse_json_column(row.at("source"));
    t.budget = parse_json_column(row.at("budget"));
    t.result = parse_json_column(row.at("result"));
    t.error = optional_text(row.at("error"));
    t.parent_id = optional_text(row.at("parent_id"));
    t.created_at = row.at("created_at").get<UnixMillis>();
    t.updated_at = row.at("updated_at").get<UnixMillis>();
    if (!row.at("completed_at").is_null()) t.completed_at = row.at("completed_at").get<UnixMillis>();
    return t;
}

Result<Task> load(sqlite3* db, const std::string& id) {
    auto row = query_one(db, std::string(kSelect) + " WHERE id=?", Json::array({id}));
    if (!row) return std::move(row).error();
    if (row->is_null())
        return make_error("storage.not_found", "no task with id '" + id + "'; list tasks to see valid ids");
    return from_row(*row);
}

// Builds "WHERE …" and its parameters from the filter, all bound, never pasted.
std::pair<std::string, Json> where_clause(const TaskFilter& f) {
    std::string sql;
    Json params = Json::array();
    auto add = [&](const std::string& condition) { sql += (sql.empty() ? " WHERE " : " AND ") + condition; };
    if (f.workspace_id) add("workspace_id=?"), params.push_back(*f.workspace_id);
    if (f.parent_id) add("parent_id=?"), params.push_back(*f.parent_id);
    if (f.created_after) add("created_at>?"), params.push_back(*f.created_after);
    if (!f.statuses.empty()) {
        std::string in = "status IN (";
        for (size_t i = 0; i < f.statuses.size(); ++i) {
            in += i ? ",?" : "?";
            params.push_back(f.statuses[i]);
        }
        add(in + ")");
    }
    return {sql, params};
}

Result<Task> apply_status(sqlite3* db, const std::string& id, const TaskStatusUpdate& update, UnixMillis now) {
    const Json completed_at = task_status::is_terminal(update.status) ? Json(now) : Json(nullptr);
    // CASE keeps the stored value when the caller did not pass one.
    auto changed = execute(db,
                           "UPDATE tasks SET status=?2, updated_at=?3, completed_at=?4,"
                           " result=CASE WHEN ?5 THEN ?6 ELSE result END,"
                           " error=CASE WHEN ?7 THEN ?8 ELSE error END WHERE id=?1",
                           Json::array({id, update.status, now, completed_at, update.result.has_value(),
                                        update.result ? json_column(*update.result) : Json(nullptr),
                                        update.error.has_value(), nullable(update.error)}));
    if (!changed) return std::move(changed).error();
    return load(db, id);
}

}  // namespace

std::future<Result<Task>> TaskRepo::create(Task task) {
    if (task.id.empty()) task.id = new_id("task_");
    if (task.status.empty()) task.status = task_status::queued;
    task.created_at = task.updated_at = now_ms();
    return db_.write<Task>([task](sqlite3* db) -> Result<Task> {
        auto done = execute(db,
                            "INSERT INTO tasks(id, workspace_id, title, prompt, status, source, budget, result, error,"
                            " parent_id, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                            Json::array({task.id, nullable(task.workspace_id), task.title, task.prompt, task.status,
                                         task.source, task.budget, json_column(task.result),
                                         nullable(task.error), nullable(task.parent_id), task.created_at,
                                         task.updated_at}));
        if (!done) return std::move(done).error();
        return task;
    });
}

std::future<Result<Task>> TaskRepo::update_status(const std::string& id, TaskStatusUpdate update) {
    const UnixMillis now = now_ms();
    return db_.write<Task>(
        [id, update = std::move(update), now](sqlite3* db) -> Result<Task> { return apply_status(db, id, update, now); });
}

std::future<Result<TaskRepo::Transitioned>> TaskRepo::transition(const std::string& id, TaskStatusUpdate update,
                                                                 const Json& state,
                                                                 std::function<void(const TaskEvent&)> on_committed) {
    const UnixMillis now = now_ms();
    TaskEvent event{id, 0, now, "task.state", sanitize_event_payload(state)};
    std::function<void(const Result<Transitioned>&)> done;
    if (on_committed)
        done = [cb = std::move(on_committed)](const Result<Transitioned>& r) {
            if (r) cb(r->event);
        };
    return db_.write<Transitioned>(
        [id, update = std::move(update), event = std::move(event), now](sqlite3* db) mutable -> Result<Transitioned> {
            auto task = apply_status(db, id, update, now);
            if (!task) return std::move(task).error();
            if (auto s = insert_task_event(db, event); !s) return std::move(s).error();
            return Transitioned{std::move(task).value(), std::move(event)};
        },
        std::move(done));
}


Result<std::optional<Task>> TaskRepo::get(const std::string& id) const {
    return db_.read<std::optional<Task>>([&](sqlite3* db) -> Result<std::optional<Task>> {
        auto task = load(db, id);
        if (task) return std::optional<Task>(std::move(task).value());
        if (task.error().code == "storage.not_found") return std::optional<Task>();
        return std::move(task).error();
    });
}

Result<std::vector<Task>> TaskRepo::list(const TaskFilter& filter) const {
    return db_.read<std::vector<Task>>([&](sqlite3* db) -> Result<std::vector<Task>> {
        auto [where, params] = where_clause(filter);
        params.push_back(filter.limit);
        params.push_back(filter.offset);
        auto rows = query(db, std::string(kSelect) + where + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?", params);
        if (!rows) return std::move(rows).error();
        std::vector<Task> out;
        for (const auto& row : *rows) out.push_back(from_row(row));
        return out;
    });
}

}  // namespace cowork::kernel::storage
