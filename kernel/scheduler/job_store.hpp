// kernel/scheduler/job_store.hpp — where jobs persist. The kernel provides a
// SQLite implementation; MemoryJobStore serves tests.
#pragma once

#include "core/result.hpp"
#include "scheduler/job.hpp"

#include <string_view>
#include <vector>

namespace cowork::kernel::scheduler {

// Called by JobScheduler under its own lock, one call at a time; an
// implementation need not be thread-safe against the scheduler, but calls
// should be quick (a single-row write).
class JobStore {
public:
    virtual ~JobStore() = default;
    virtual Result<std::vector<Job>> load_all() = 0;
    // Insert or replace the whole job by id.
    virtual Status upsert(const Job& job) = 0;
    // Removing an unknown id is not an error.
    virtual Status remove(std::string_view id) = 0;
    // The frequent write after each run: only the two times change.
    virtual Status record_run(std::string_view id, std::optional<Instant> last_run,
                              std::optional<Instant> next_run) = 0;
};

}  // namespace cowork::kernel::scheduler
