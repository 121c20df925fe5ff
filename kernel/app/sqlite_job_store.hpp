// kernel/app/sqlite_job_store.hpp — scheduler jobs persisted in cowork.db.
#pragma once

#include "scheduler/job_store.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace cowork::kernel::app {

// The `scheduler` component's tables (cron_jobs).
storage::MigrationSet scheduler_migrations();

// JobStore over the cron_jobs table. The scheduler calls it under its own
// lock; writes go through the group-commit writer and are awaited so a job
// recorded as run is on disk before the runner starts (at-most-once).
class SqliteJobStore final : public scheduler::JobStore {
public:
    explicit SqliteJobStore(storage::Database& db) : db_(db) {}

    Result<std::vector<scheduler::Job>> load_all() override;
    Status upsert(const scheduler::Job& job) override;
    Status remove(std::string_view id) override;
    Status record_run(std::string_view id, std::optional<scheduler::Instant> last_run,
                      std::optional<scheduler::Instant> next_run) override;

private:
    storage::Database& db_;
};

}  // namespace cowork::kernel::app
