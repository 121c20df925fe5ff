#include "storage/audit_log.hpp"

#include "storage/json_redact.hpp"
#include "storage/sqlite.hpp"

namespace cowork::kernel::storage {
namespace {

AuditEntry from_row(const Json& row) {
    return AuditEntry{row.at("id").get<std::int64_t>(),      row.at("ts").get<UnixMillis>(),
                      row.at("actor").get<std::string>(),    row.at("action").get<std::string>(),
                      row.at("target").get<std::string>(),   row.at("decision").get<std::string>(),
                      row.at("rule").get<std::string>(),     parse_json_column(row.at("details"))};
}

}  // namespace

std::future<Result<std::int64_t>> AuditLog::append(AuditEntry e) {
    if (e.ts == 0) e.ts = now_ms();
    const Json params = Json::array({e.ts, e.actor, e.action, e.target, e.decision, e.rule, redact_json(e.details).dump()});
    return db_.write<std::int64_t>([params](sqlite3* db) -> Result<std::int64_t> {
        auto row = query_one(db,
                             "INSERT INTO audit_log(ts, actor, action, target, decision, rule, details)"
                             " VALUES(?,?,?,?,?,?,?) RETURNING id",
                             params);
        if (!row) return std::move(row).error();
        return row->at("id").get<std::int64_t>();
    });
}

Result<std::vector<AuditEntry>> AuditLog::query(const AuditQuery& q) const {
    return db_.read<std::vector<AuditEntry>>([&](sqlite3* db) -> Result<std::vector<AuditEntry>> {
        std::string where;
        Json params = Json::array();
        auto add = [&](const char* condition, Json value) {
            where += (where.empty() ? " WHERE " : " AND ") + std::string(condition);
            params.push_back(std::move(value));
        };
        if (q.actor) add("actor=?", *q.actor);
        if (q.action) add("action=?", *q.action);
        if (q.since) add("ts>=?", *q.since);
        if (q.until) add("ts<?", *q.until);
        params.push_back(q.limit);
        auto rows = storage::query(db,
                                   "SELECT id, ts, actor, action, target, decision, rule, details FROM audit_log" +
                                       where + " ORDER BY id DESC LIMIT ?",
                                   params);
        if (!rows) return std::move(rows).error();
        std::vector<AuditEntry> out;
        for (const auto& row : *rows) out.push_back(from_row(row));
        return out;
    });
}

}  // namespace cowork::kernel::storage
