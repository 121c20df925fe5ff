// kernel/scheduler/job.cpp
#include "scheduler/job.hpp"

#include "scheduler/iso8601.hpp"

namespace cowork::kernel::scheduler {

const char* to_string(MissedRunPolicy policy) {
    switch (policy) {
        case MissedRunPolicy::Skip: return "skip";
        case MissedRunPolicy::RunOnce: return "run_once";
        case MissedRunPolicy::RunAll: return "run_all";
    }
    return "run_once";
}

Result<MissedRunPolicy> parse_missed_run_policy(std::string_view text) {
    if (text == "skip") return MissedRunPolicy::Skip;
    if (text == "run_once") return MissedRunPolicy::RunOnce;
    if (text == "run_all") return MissedRunPolicy::RunAll;
    return make_error("schedule.invalid_missed_policy",
                      "missed-run policy '" + std::string(text) + "' is not one of skip, run_once, run_all");
}

Json Job::to_json() const {
    auto when = [](const std::optional<Instant>& t) { return t ? Json(format_iso8601(*t)) : Json(nullptr); };
    return Json{{"id", id},           {"schedule", schedule.to_json()}, {"enabled", enabled},
                {"missed", to_string(missed)}, {"jitter_s", jitter.count()},   {"last_run", when(last_run)},
                {"next_run", when(next_run)},  {"payload", payload}};
}

}  // namespace cowork::kernel::scheduler
