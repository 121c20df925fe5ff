// kernel/scheduler/job.hpp — a persistent scheduled job as stored.
#pragma once

#include "core/result.hpp"
#include "scheduler/instant.hpp"
#include "scheduler/schedule.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cowork::kernel::scheduler {

// What to do with occurrences that passed while the kernel was down or paused.
enum class MissedRunPolicy {
    Skip,     // run none of them; continue from now
    RunOnce,  // one catch-up run, then continue from now
    RunAll,   // each missed occurrence, at most JobSchedulerOptions::max_catch_up
};

const char* to_string(MissedRunPolicy policy);
Result<MissedRunPolicy> parse_missed_run_policy(std::string_view text);  // "skip"|"run_once"|"run_all"

struct Job {
    std::string id;
    ScheduleSpec schedule;
    bool enabled = true;
    MissedRunPolicy missed = MissedRunPolicy::RunOnce;
    std::chrono::seconds jitter{0};      // runs at next_run + a stable offset in [0, jitter]
    std::optional<Instant> last_run;     // nominal time of the last run
    std::optional<Instant> next_run;     // nominal (un-jittered) next occurrence; nullopt: none left
    Json payload = Json::object();       // handed to the runner (what the job does)

    Json to_json() const;
};

}  // namespace cowork::kernel::scheduler
