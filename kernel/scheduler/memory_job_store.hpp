// kernel/scheduler/memory_job_store.hpp — a JobStore in a map (tests, ephemeral use).
#pragma once

#include "scheduler/job_store.hpp"

#include <map>
#include <mutex>
#include <string>

namespace cowork::kernel::scheduler {

class MemoryJobStore final : public JobStore {
public:
    Result<std::vector<Job>> load_all() override;
    Status upsert(const Job& job) override;
    Status remove(std::string_view id) override;
    Status record_run(std::string_view id, std::optional<Instant> last_run,
                      std::optional<Instant> next_run) override;

    std::optional<Job> find(std::string_view id) const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, Job, std::less<>> jobs_;
};

}  // namespace cowork::kernel::scheduler
