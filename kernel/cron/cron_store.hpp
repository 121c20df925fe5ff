// kernel/cron/cron_store.hpp — cron jobs, their run history and requests
// for the daemon, in cowork.db (migration set "cron").
//
//   cron_definitions  one row per job: the definition (JSON), the state the
//                     service keeps, and the scheduler's last/next run
//   cron_runs         run history, the newest `history_limit` rows per job
//   cron_requests     run/wake/trigger asked for by a kernel that does not
//                     drive the schedule (the CLI), carried out by coworkd
//   cron_meta         `revision`, bumped by every definition change, so a
//                     daemon notices jobs another process added or changed
#pragma once

#include "cron/cron_job.hpp"
#include "scheduler/job_store.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::cron {

storage::MigrationSet cron_migrations();

struct CronRun {
    std::string id, job_id;
    std::optional<int64_t> scheduled_for;  // Unix ms; none for manual runs
    int64_t started_at = 0;
    std::optional<int64_t> finished_at;
    std::string status;   // running | ok | error | timeout | skipped
    std::string trigger;  // schedule | catch_up | manual | wake | webhook
    std::string task_id, error;

    Json to_json() const;
};

struct CronRequest {
    int64_t id = 0;
    std::string kind;  // run | wake
    std::string job_id;
    Json payload;
};

class CronStore {
public:
    CronStore(storage::Database& db, size_t history_limit) : db_(db), history_limit_(history_limit) {}

    // Writes return the new revision.
    Result<int64_t> insert(const CronJob& job);
    Result<int64_t> update_definition(const CronJob& job);
    Result<int64_t> remove(const std::string& id);
    Status save_state(const std::string& id, const CronJobState& state);
    Result<int64_t> revision() const;

    Result<std::vector<CronJob>> load_all() const;
    Result<std::optional<CronJob>> find(const std::string& id_or_name) const;

    Status insert_run(const CronRun& run);
    Status finish_run(const CronRun& run);  // status, finished_at, task_id, error; then trims history
    Result<std::vector<CronRun>> runs(const std::string& job_id, int limit) const;
    Result<std::vector<CronRun>> running() const;

    Status add_request(const std::string& kind, const std::string& job_id, const Json& payload, int64_t now_ms);
    Result<std::vector<CronRequest>> take_requests();

    storage::Database& db() { return db_; }

private:
    storage::Database& db_;
    const size_t history_limit_;
};

// The scheduler's view of cron_definitions: schedule, enabled, missed-run
// policy, last/next run. The service writes definitions first; upsert then
// only refreshes the scheduling columns of an existing row.
class CronJobStore final : public scheduler::JobStore {
public:
    explicit CronJobStore(storage::Database& db) : db_(db) {}
    Result<std::vector<scheduler::Job>> load_all() override;
    Status upsert(const scheduler::Job& job) override;
    Status remove(std::string_view id) override;
    Status record_run(std::string_view id, std::optional<scheduler::Instant> last_run,
                      std::optional<scheduler::Instant> next_run) override;

private:
    storage::Database& db_;
};

// The scheduler job a cron job stands for.
scheduler::Job scheduler_job(const CronJob& job);

}  // namespace cowork::kernel::cron
