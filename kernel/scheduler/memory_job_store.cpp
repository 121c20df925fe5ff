// kernel/scheduler/memory_job_store.cpp
#include "scheduler/memory_job_store.hpp"

namespace cowork::kernel::scheduler {

Result<std::vector<Job>> MemoryJobStore::load_all() {
    std::lock_guard lock(mutex_);
    std::vector<Job> out;
    for (const auto& [id, job] : jobs_) out.push_back(job);
    return out;
}

Status MemoryJobStore::upsert(const Job& job) {
    std::lock_guard lock(mutex_);
    jobs_.insert_or_assign(job.id, job);
    return ok_status();
}

Status MemoryJobStore::remove(std::string_view id) {
    std::lock_guard lock(mutex_);
    if (auto it = jobs_.find(id); it != jobs_.end()) jobs_.erase(it);
    return ok_status();
}

Status MemoryJobStore::record_run(std::string_view id, std::optional<Instant> last_run,
                                  std::optional<Instant> next_run) {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return make_error("scheduler.unknown_job", "no job '" + std::string(id) + "'");
    it->second.last_run = last_run;
    it->second.next_run = next_run;
    return ok_status();
}

std::optional<Job> MemoryJobStore::find(std::string_view id) const {
    std::lock_guard lock(mutex_);
    if (auto it = jobs_.find(id); it != jobs_.end()) return it->second;
    return std::nullopt;
}

}  // namespace cowork::kernel::scheduler
