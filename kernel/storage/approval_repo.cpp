#include "storage/approval_repo.hpp"

#include "storage/ids.hpp"
#include "storage/json_redact.hpp"
#include "storage/sqlite.hpp"

namespace cowork::kernel::storage {
namespace {

constexpr const char* kSelect =
    "SELECT id, task_id, tool, request, status, decided_by, reason, created_at, decided_at, expires_at FROM approvals";

template <class T>
std::optional<T> optional_of(const Json& v) {
    return v.is_null() ? std::nullopt : std::optional<T>(v.get<T>());
}

Json nullable_ms(const std::optional<UnixMillis>& v) { return v ? Json(*v) : Json(nullptr); }

Approval from_row(const Json& row) {
    Approval a;
    a.id = row.at("id").get<std::string>();
    a.task_id = row.at("task_id").get<std::string>();
    a.tool = row.at("tool").get<std::string>();
    a.request = parse_json_column(row.at("request"));
    a.status = row.at("status").get<std::string>();
    a.decided_by = optional_of<std::string>(row.at("decided_by"));
    a.reason = optional_of<std::string>(row.at("reason"));
    a.created_at = row.at("created_at").get<UnixMillis>();
    a.decided_at = optional_of<UnixMillis>(row.at("decided_at"));
    a.expires_at = optional_of<UnixMillis>(row.at("expires_at"));
    return a;
}

Result<std::optional<Approval>> load(sqlite3* db, const std::string& id) {
    auto row = query_one(db, std::string(kSelect) + " WHERE id=?", Json::array({id}));
    if (!row) return std::move(row).error();
    if (row->is_null()) return std::optional<Approval>();
    return std::optional<Approval>(from_row(*row));
}

}  // namespace

std::future<Result<Approval>> ApprovalRepo::create(Approval a) {
    if (a.id.empty()) a.id = new_id("appr_");
    a.status = "pending";
    a.created_at = now_ms();
    a.request = redact_json(a.request);
    return db_.write<Approval>([a](sqlite3* db) -> Result<Approval> {
        auto done = execute(db,
                            "INSERT INTO approvals(id, task_id, tool, request, status, created_at, expires_at)"
                            " VALUES(?,?,?,?,?,?,?)",
                            Json::array({a.id, a.task_id, a.tool, a.request.dump(), a.status, a.created_at,
                                         nullable_ms(a.expires_at)}));
        if (!done) return std::move(done).error();
        return a;
    });
}

std::future<Result<Approval>> ApprovalRepo::decide(const std::string& id, bool approve, const std::string& decided_by,
                                                   const std::string& reason) {
    const UnixMillis now = now_ms();
    return db_.write<Approval>([=](sqlite3* db) -> Result<Approval> {
        auto changed = execute(db,
                               "UPDATE approvals SET status=?2, decided_by=?3, reason=?4, decided_at=?5"
                               " WHERE id=?1 AND status='pending'",
                               Json::array({id, approve ? "approved" : "denied", decided_by, reason, now}));
        if (!changed) return std::move(changed).error();
        auto current = load(db, id);
        if (!current) return std::move(current).error();
        if (!*current) return make_error("storage.not_found", "no approval with id '" + id + "'");
        if (*changed == 0)
            return make_error("approval.not_pending", "approval '" + id + "' was already " + (*current)->status +
                                                          "; it can be decided only once");
        return **current;
    });
}

std::future<Result<std::int64_t>> ApprovalRepo::expire_due(UnixMillis now) {
    return db_.write<std::int64_t>([now](sqlite3* db) {
        return execute(db,
                       "UPDATE approvals SET status='expired', decided_at=?1"
                       " WHERE status='pending' AND expires_at IS NOT NULL AND expires_at<=?1",
                       Json::array({now}));
    });
}

Result<std::optional<Approval>> ApprovalRepo::get(const std::string& id) const {
    return db_.read<std::optional<Approval>>([&](sqlite3* db) { return load(db, id); });
}

Result<std::vector<Approval>> ApprovalRepo::list_pending(const std::optional<std::string>& task_id) const {
    return db_.read<std::vector<Approval>>([&](sqlite3* db) -> Result<std::vector<Approval>> {
        auto rows = task_id ? query(db, std::string(kSelect) + " WHERE status='pending' AND task_id=? ORDER BY created_at",
                                    Json::array({*task_id}))
                            : query(db, std::string(kSelect) + " WHERE status='pending' ORDER BY created_at");
        if (!rows) return std::move(rows).error();
        std::vector<Approval> out;
        for (const auto& row : *rows) out.push_back(from_row(row));
        return out;
    });
}

}  // namespace cowork::kernel::storage
