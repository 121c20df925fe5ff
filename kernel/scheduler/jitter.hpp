// kernel/scheduler/jitter.hpp — spreading jobs that share a schedule.
#pragma once

#include <chrono>
#include <string_view>

namespace cowork::kernel::scheduler {

// A per-job offset in [0, jitter], derived from the job id alone: stable
// across restarts and machines (FNV-1a, not std::hash, which may change),
// yet different jobs on the same "0 * * * *" land at different seconds.
std::chrono::seconds jitter_offset(std::string_view job_id, std::chrono::seconds jitter);

}  // namespace cowork::kernel::scheduler
