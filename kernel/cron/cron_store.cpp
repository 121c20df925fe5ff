// kernel/cron/cron_store.cpp
#include "cron/cron_store.hpp"

#include "core/log.hpp"
#include "storage/sqlite.hpp"

namespace cowork::kernel::cron {
namespace {

using scheduler::Instant;

Json opt(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
Json opt_text(const std::string& v) { return v.empty() ? Json(nullptr) : Json(v); }
std::optional<int64_t> opt_int(const Json& v) {
    return v.is_number_integer() ? std::optional<int64_t>(v.get<int64_t>()) : std::nullopt;
}
std::string text_or_empty(const Json& v) { return v.is_string() ? v.get<std::string>() : ""; }

Json seconds_json(const std::optional<Instant>& t) { return t ? Json(t->time_since_epoch().count()) : Json(nullptr); }
std::optional<Instant> instant_from(const Json& v) {
    if (!v.is_number_integer()) return std::nullopt;
    return Instant(std::chrono::seconds(v.get<int64_t>()));
}

Result<int64_t> bump_revision(sqlite3* c) {
    auto r = storage::execute(c, "UPDATE cron_meta SET value = value + 1 WHERE key = 'revision'");
    if (!r) return r.error();
    auto row = storage::query_one(c, "SELECT value FROM cron_meta WHERE key = 'revision'");
    if (!row) return row.error();
    return row->value("value", int64_t{0});
}

Result<CronJob> job_from_row(const Json& row) {
    const Json definition = storage::parse_json_column(row.value("definition", Json(nullptr)));
    auto job = job_from_definition(definition, std::nullopt);
    if (!job) return job.error();
    job->id = row.value("id", "");
    job->created_at = row.value("created_at", int64_t{0});
    job->updated_at = row.value("updated_at", int64_t{0});
    CronJobState& s = job->state;
    if (auto next = opt_int(row["next_run"])) s.next_run_at = *next * 1000;
    s.last_run_at = opt_int(row["last_run_at"]);
    s.last_status = text_or_empty(row["last_status"]);
    s.last_error = text_or_empty(row["last_error"]);
    s.last_task_id = text_or_empty(row["last_task_id"]);
    s.pending_wake_text = text_or_empty(row["wake_text"]);
    const Json totals = storage::parse_json_column(row.value("totals", Json(nullptr)));
    if (totals.is_object())
        for (const auto& [k, v] : totals.items()) s.totals[k] = v;
    return job;
}

CronRun run_from_row(const Json& row) {
    CronRun r;
    r.id = row.value("id", "");
    r.job_id = row.value("job_id", "");
    r.scheduled_for = opt_int(row["scheduled_for"]);
    r.started_at = row.value("started_at", int64_t{0});
    r.finished_at = opt_int(row["finished_at"]);
    r.status = row.value("status", "");
    r.trigger = row.value("trigger_kind", "");
    r.task_id = text_or_empty(row["task_id"]);
    r.error = text_or_empty(row["error"]);
    return r;
}

template <class T>
Result<T> wait(std::future<Result<T>> f) {
    return f.get();
}

}  // namespace

storage::MigrationSet cron_migrations() {
    return {"cron",
            {{1, "cron service tables",
              "CREATE TABLE cron_definitions ("
              " id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, definition TEXT NOT NULL,"
              " kind TEXT NOT NULL, expr TEXT NOT NULL, tz TEXT NOT NULL DEFAULT '', anchor TEXT NOT NULL DEFAULT '',"
              " enabled INTEGER NOT NULL DEFAULT 1, missed TEXT NOT NULL DEFAULT 'run_once',"
              " last_run INTEGER, next_run INTEGER,"
              " last_run_at INTEGER, last_status TEXT, last_error TEXT, last_task_id TEXT, wake_text TEXT,"
              " totals TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
              "CREATE TABLE cron_runs ("
              " id TEXT PRIMARY KEY, job_id TEXT NOT NULL, scheduled_for INTEGER, started_at INTEGER NOT NULL,"
              " finished_at INTEGER, status TEXT NOT NULL"
              "  CHECK (status IN ('running','ok','error','timeout','skipped')),"
              " trigger_kind TEXT NOT NULL, task_id TEXT, error TEXT);"
              "CREATE INDEX cron_runs_job ON cron_runs(job_id);"
              "CREATE TABLE cron_requests ("
              " id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL CHECK (kind IN ('run','wake')),"
              " job_id TEXT, payload TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL);"
              "CREATE TABLE cron_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
              "INSERT INTO cron_meta (key, value) VALUES ('revision', 0);"}}};
}

Json CronRun::to_json() const {
    return {{"id", id},
            {"jobId", job_id},
            {"scheduledFor", opt(scheduled_for)},
            {"startedAt", started_at},
            {"finishedAt", opt(finished_at)},
            {"status", status},
            {"trigger", trigger},
            {"taskId", opt_text(task_id)},
            {"error", opt_text(error)}};
}

Result<int64_t> CronStore::insert(const CronJob& job) {
    const scheduler::Job sj = scheduler_job(job);
    const Json params = {job.id, job.name, storage::json_column(job.definition()), sj.schedule.kind, sj.schedule.expr,
                         sj.schedule.tz, sj.schedule.anchor, job.enabled ? 1 : 0, scheduler::to_string(job.missed),
                         job.created_at};
    const std::string name = job.name;
    return wait(db_.write<int64_t>([params, name](sqlite3* c) -> Result<int64_t> {
        auto clash = storage::query_one(c, "SELECT id FROM cron_definitions WHERE name = ?", Json::array({name}));
        if (!clash) return clash.error();
        if (!clash->is_null())
            return field_error("name", "a job named '" + name + "' exists already (" + clash->value("id", "") +
                                           "); pick another name or change that job with cron.update");
        auto r = storage::execute(c,
                                  "INSERT INTO cron_definitions (id, name, definition, kind, expr, tz, anchor, enabled,"
                                  " missed, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10)",
                                  params);
        if (!r) return r.error();
        return bump_revision(c);
    }));
}

Result<int64_t> CronStore::update_definition(const CronJob& job) {
    const scheduler::Job sj = scheduler_job(job);
    const Json params = {job.id, job.name, storage::json_column(job.definition()), sj.schedule.kind, sj.schedule.expr,
                         sj.schedule.tz, sj.schedule.anchor, job.enabled ? 1 : 0, scheduler::to_string(job.missed),
                         job.updated_at};
    const std::string id = job.id, name = job.name;
    return wait(db_.write<int64_t>([params, id, name](sqlite3* c) -> Result<int64_t> {
        auto clash = storage::query_one(c, "SELECT id FROM cron_definitions WHERE name = ?1 AND id != ?2",
                                        Json::array({name, id}));
        if (!clash) return clash.error();
        if (!clash->is_null())
            return field_error("name", "another job (" + clash->value("id", "") + ") is named '" + name + "'");
        auto r = storage::execute(c,
                                  "UPDATE cron_definitions SET name = ?2, definition = ?3, kind = ?4, expr = ?5, tz = ?6,"
                                  " anchor = ?7, enabled = ?8, missed = ?9, updated_at = ?10 WHERE id = ?1",
                                  params);
        if (!r) return r.error();
        if (*r == 0) return make_error("cron.not_found", "no cron job " + id + " (see cron.list)");
        return bump_revision(c);
    }));
}

Result<int64_t> CronStore::remove(const std::string& id) {
    return wait(db_.write<int64_t>([id](sqlite3* c) -> Result<int64_t> {
        auto r = storage::execute(c, "DELETE FROM cron_definitions WHERE id = ?", Json::array({id}));
        if (!r) return r.error();
        if (auto h = storage::execute(c, "DELETE FROM cron_runs WHERE job_id = ?", Json::array({id})); !h) return h.error();
        return bump_revision(c);
    }));
}

Status CronStore::save_state(const std::string& id, const CronJobState& s) {
    const Json params = {id, opt(s.last_run_at), opt_text(s.last_status), opt_text(s.last_error),
                         opt_text(s.last_task_id), opt_text(s.pending_wake_text), storage::json_column(s.totals)};
    return wait(db_.write<Ok>([params](sqlite3* c) -> Status {
        auto r = storage::execute(c,
                                  "UPDATE cron_definitions SET last_run_at = ?2, last_status = ?3, last_error = ?4,"
                                  " last_task_id = ?5, wake_text = ?6, totals = ?7 WHERE id = ?1",
                                  params);
        if (!r) return r.error();
        return ok_status();
    }));
}

Result<int64_t> CronStore::revision() const {
    return db_.read<int64_t>([](sqlite3* c) -> Result<int64_t> {
        auto row = storage::query_one(c, "SELECT value FROM cron_meta WHERE key = 'revision'");
        if (!row) return row.error();
        return row->is_null() ? int64_t{0} : row->value("value", int64_t{0});
    });
}

Result<std::vector<CronJob>> CronStore::load_all() const {
    return db_.read<std::vector<CronJob>>([](sqlite3* c) -> Result<std::vector<CronJob>> {
        auto rows = storage::query(c, "SELECT * FROM cron_definitions ORDER BY name");
        if (!rows) return rows.error();
        std::vector<CronJob> jobs;
        for (const auto& row : *rows) {
            auto job = job_from_row(row);
            if (!job) {
                logger()->warn("cron: job {} is unreadable and left out: {} (fix it with cron.update or remove it)",
                               row.value("id", "?"), job.error().message);
                continue;
            }
            jobs.push_back(std::move(*job));
        }
        return jobs;
    });
}

Result<std::optional<CronJob>> CronStore::find(const std::string& id_or_name) const {
    return db_.read<std::optional<CronJob>>([&](sqlite3* c) -> Result<std::optional<CronJob>> {
        auto row = storage::query_one(c, "SELECT * FROM cron_definitions WHERE id = ?1 OR name = ?1",
                                      Json::array({id_or_name}));
        if (!row) return row.error();
        if (row->is_null()) return std::optional<CronJob>{};
        auto job = job_from_row(*row);
        if (!job) return job.error();
        return std::optional<CronJob>(std::move(*job));
    });
}

Status CronStore::insert_run(const CronRun& run) {
    const Json params = {run.id, run.job_id, opt(run.scheduled_for), run.started_at, opt(run.finished_at),
                         run.status, run.trigger, opt_text(run.task_id), opt_text(run.error)};
    return wait(db_.write<Ok>([params](sqlite3* c) -> Status {
        auto r = storage::execute(c,
                                  "INSERT INTO cron_runs (id, job_id, scheduled_for, started_at, finished_at, status,"
                                  " trigger_kind, task_id, error) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                                  params);
        if (!r) return r.error();
        return ok_status();
    }));
}

Status CronStore::finish_run(const CronRun& run) {
    const Json params = {run.id, run.status, opt(run.finished_at), opt_text(run.task_id), opt_text(run.error),
                         run.job_id, static_cast<int64_t>(history_limit_)};
    return wait(db_.write<Ok>([params](sqlite3* c) -> Status {
        auto r = storage::execute(c,
                                  "UPDATE cron_runs SET status = ?2, finished_at = ?3, task_id = ?4, error = ?5"
                                  " WHERE id = ?1",
                                  Json::array({params[0], params[1], params[2], params[3], params[4]}));
        if (!r) return r.error();
        // Bounded history: keep the newest rows of this job (running ones always).
        auto trim = storage::execute(c,
                                     "DELETE FROM cron_runs WHERE job_id = ?1 AND status != 'running' AND rowid NOT IN"
                                     " (SELECT rowid FROM cron_runs WHERE job_id = ?1 ORDER BY rowid DESC LIMIT ?2)",
                                     Json::array({params[5], params[6]}));
        if (!trim) return trim.error();
        return ok_status();
    }));
}

Result<std::vector<CronRun>> CronStore::runs(const std::string& job_id, int limit) const {
    return db_.read<std::vector<CronRun>>([&](sqlite3* c) -> Result<std::vector<CronRun>> {
        auto rows = storage::query(c, "SELECT * FROM cron_runs WHERE job_id = ?1 ORDER BY rowid DESC LIMIT ?2",
                                   Json::array({job_id, limit}));
        if (!rows) return rows.error();
        std::vector<CronRun> out;
        for (const auto& r : *rows) out.push_back(run_from_row(r));
        return out;
    });
}

Result<std::vector<CronRun>> CronStore::running() const {
    return db_.read<std::vector<CronRun>>([](sqlite3* c) -> Result<std::vector<CronRun>> {
        auto rows = storage::query(c, "SELECT * FROM cron_runs WHERE status = 'running' ORDER BY rowid");
        if (!rows) return rows.error();
        std::vector<CronRun> out;
        for (const auto& r : *rows) out.push_back(run_from_row(r));
        return out;
    });
}

Status CronStore::add_request(const std::string& kind, const std::string& job_id, const Json& payload, int64_t now_ms) {
    const Json params = {kind, opt_text(job_id), storage::json_column(payload), now_ms};
    return wait(db_.write<Ok>([params](sqlite3* c) -> Status {
        auto r = storage::execute(c, "INSERT INTO cron_requests (kind, job_id, payload, created_at) VALUES (?1,?2,?3,?4)",
                                  params);
        if (!r) return r.error();
        return ok_status();
    }));
}

Result<std::vector<CronRequest>> CronStore::take_requests() {
    // Called every tick: look on a read connection first, so an empty queue
    // costs no write transaction.
    auto any = db_.read<bool>([](sqlite3* c) -> Result<bool> {
        auto row = storage::query_one(c, "SELECT 1 AS x FROM cron_requests LIMIT 1");
        if (!row) return row.error();
        return !row->is_null();
    });
    if (!any) return any.error();
    if (!*any) return std::vector<CronRequest>{};
    return wait(db_.write<std::vector<CronRequest>>([](sqlite3* c) -> Result<std::vector<CronRequest>> {
        auto rows = storage::query(c, "SELECT * FROM cron_requests ORDER BY id");
        if (!rows) return rows.error();
        std::vector<CronRequest> out;
        for (const auto& row : *rows) {
            Json payload = storage::parse_json_column(row.value("payload", Json(nullptr)));
            out.push_back({row.value("id", int64_t{0}), row.value("kind", ""), text_or_empty(row["job_id"]),
                           payload.is_object() ? payload : Json::object()});
        }
        if (!out.empty())
            if (auto d = storage::execute(c, "DELETE FROM cron_requests WHERE id <= ?", Json::array({out.back().id})); !d)
                return d.error();
        return out;
    }));
}

// ------------------------------------------------------- CronJobStore --

scheduler::Job scheduler_job(const CronJob& job) {
    scheduler::Job sj;
    sj.id = job.id;
    sj.schedule = job.schedule.spec;
    sj.enabled = job.enabled;
    sj.missed = job.missed;
    return sj;
}

Result<std::vector<scheduler::Job>> CronJobStore::load_all() {
    return db_.read<std::vector<scheduler::Job>>([](sqlite3* c) -> Result<std::vector<scheduler::Job>> {
        auto rows = storage::query(c, "SELECT id, kind, expr, tz, anchor, enabled, missed, last_run, next_run"
                                      " FROM cron_definitions ORDER BY id");
        if (!rows) return rows.error();
        std::vector<scheduler::Job> jobs;
        for (const auto& row : *rows) {
            scheduler::Job job;
            job.id = row.value("id", "");
            job.schedule = {row.value("kind", ""), row.value("expr", ""), row.value("tz", ""), row.value("anchor", "")};
            job.enabled = row.value("enabled", 1) != 0;
            job.missed = scheduler::parse_missed_run_policy(row.value("missed", "run_once"))
                             .value_or(scheduler::MissedRunPolicy::RunOnce);
            job.last_run = instant_from(row["last_run"]);
            job.next_run = instant_from(row["next_run"]);
            jobs.push_back(std::move(job));
        }
        return jobs;
    });
}

Status CronJobStore::upsert(const scheduler::Job& job) {
    const Json params = {job.id, job.enabled ? 1 : 0, seconds_json(job.last_run), seconds_json(job.next_run)};
    return wait(db_.write<Ok>([params](sqlite3* c) -> Status {
        auto r = storage::execute(c,
                                  "UPDATE cron_definitions SET enabled = ?2, last_run = ?3, next_run = ?4 WHERE id = ?1",
                                  params);
        if (!r) return r.error();
        if (*r == 0) return make_error("cron.not_found", "no cron job " + params[0].get<std::string>());
        return ok_status();
    }));
}

// The row (and its history) goes with CronStore::remove; nothing is left here.
Status CronJobStore::remove(std::string_view) { return ok_status(); }

Status CronJobStore::record_run(std::string_view id, std::optional<Instant> last_run, std::optional<Instant> next_run) {
    const Json params = {std::string(id), seconds_json(last_run), seconds_json(next_run)};
    return wait(db_.write<Ok>([params](sqlite3* c) -> Status {
        auto r = storage::execute(c, "UPDATE cron_definitions SET last_run = ?2, next_run = ?3 WHERE id = ?1", params);
        if (!r) return r.error();
        return ok_status();
    }));
}

}  // namespace cowork::kernel::cron
