#include "app/sqlite_job_store.hpp"

#include "storage/sqlite.hpp"

namespace cowork::kernel::app {
namespace {

using scheduler::Instant;

Json instant_json(const std::optional<Instant>& t) {
    return t ? Json(t->time_since_epoch().count()) : Json(nullptr);
}

std::optional<Instant> instant_from(const Json& v) {
    if (!v.is_number_integer()) return std::nullopt;
    return Instant(std::chrono::seconds(v.get<int64_t>()));
}

Result<scheduler::Job> job_from_row(const Json& row) {
    scheduler::Job job;
    job.id = row.value("id", "");
    job.schedule.kind = row.value("kind", "");
    job.schedule.expr = row.value("expr", "");
    job.schedule.tz = row.value("tz", "");
    job.schedule.anchor = row.value("anchor", "");
    job.enabled = row.value("enabled", 1) != 0;
    auto missed = scheduler::parse_missed_run_policy(row.value("missed", "run_once"));
    if (!missed) return missed.error();
    job.missed = *missed;
    job.jitter = std::chrono::seconds(row.value("jitter_s", 0));
    job.last_run = instant_from(row["last_run"]);
    job.next_run = instant_from(row["next_run"]);
    auto payload = Json::parse(row.value("payload", "{}"), nullptr, false);
    job.payload = payload.is_discarded() ? Json::object() : payload;
    return job;
}

template <class T>
Result<T> await(std::future<Result<T>> f) {
    return f.get();
}

}  // namespace

storage::MigrationSet scheduler_migrations() {
    return {"scheduler",
            {{1, "cron_jobs",
              "CREATE TABLE cron_jobs ("
              " id TEXT PRIMARY KEY, kind TEXT NOT NULL, expr TEXT NOT NULL, tz TEXT NOT NULL DEFAULT '',"
              " anchor TEXT NOT NULL DEFAULT '', enabled INTEGER NOT NULL DEFAULT 1,"
              " missed TEXT NOT NULL DEFAULT 'run_once', jitter_s INTEGER NOT NULL DEFAULT 0,"
              " last_run INTEGER, next_run INTEGER, payload TEXT NOT NULL DEFAULT '{}',"
              " created_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER) * 1000),"
              " updated_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER) * 1000));"
              "CREATE INDEX cron_jobs_next ON cron_jobs(enabled, next_run);"}}};
}

Result<std::vector<scheduler::Job>> SqliteJobStore::load_all() {
    return db_.read<std::vector<scheduler::Job>>([](sqlite3* c) -> Result<std::vector<scheduler::Job>> {
        auto rows = storage::query(c, "SELECT * FROM cron_jobs ORDER BY id");
        if (!rows) return rows.error();
        std::vector<scheduler::Job> jobs;
        for (const auto& row : *rows) {
            auto job = job_from_row(row);
            if (!job) return make_error("scheduler.corrupt_job",
                                        "job " + row.value("id", "?") + " in cowork.db is unreadable: " + job.error().message);
            jobs.push_back(std::move(*job));
        }
        return jobs;
    });
}

Status SqliteJobStore::upsert(const scheduler::Job& job) {
    const Json params = {job.id,
                         job.schedule.kind,
                         job.schedule.expr,
                         job.schedule.tz,
                         job.schedule.anchor,
                         job.enabled ? 1 : 0,
                         scheduler::to_string(job.missed),
                         job.jitter.count(),
                         instant_json(job.last_run),
                         instant_json(job.next_run),
                         job.payload.dump()};
    return await(db_.write<Ok>([params](sqlite3* c) -> Status {
        auto r = storage::execute(
            c,
            "INSERT INTO cron_jobs (id, kind, expr, tz, anchor, enabled, missed, jitter_s, last_run, next_run, payload)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            " ON CONFLICT(id) DO UPDATE SET kind = ?2, expr = ?3, tz = ?4, anchor = ?5, enabled = ?6, missed = ?7,"
            " jitter_s = ?8, last_run = ?9, next_run = ?10, payload = ?11,"
            " updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000",
            params);
        if (!r) return r.error();
        return ok_status();
    }));
}

Status SqliteJobStore::remove(std::string_view id) {
    const std::string key(id);
    return await(db_.write<Ok>([key](sqlite3* c) -> Status {
        auto r = storage::execute(c, "DELETE FROM cron_jobs WHERE id = ?", Json::array({key}));
        if (!r) return r.error();
        return ok_status();
    }));
}

Status SqliteJobStore::record_run(std::string_view id, std::optional<Instant> last_run,
                                  std::optional<Instant> next_run) {
    const Json params = {instant_json(last_run), instant_json(next_run), std::string(id)};
    return await(db_.write<Ok>([params](sqlite3* c) -> Status {
        auto r = storage::execute(c,
                                  "UPDATE cron_jobs SET last_run = ?1, next_run = ?2,"
                                  " updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE id = ?3",
                                  params);
        if (!r) return r.error();
        if (*r == 0) return make_error("scheduler.not_found", "no job " + params[2].get<std::string>());
        return ok_status();
    }));
}

}  // namespace cowork::kernel::app
