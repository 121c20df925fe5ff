// kernel/scheduler/schedule.hpp — when a job runs, and the pure function
// that says when it runs next.
//
// DST semantics for cron (wall-clock) schedules:
//  * a local time that does not exist (spring-forward gap) runs once, at the
//    first instant after the gap (02:30 on a 02:00→03:00 night runs at 03:00);
//  * an ambiguous local time (fall-back) runs once, at its first occurrence;
//  * exception: when the hour field is '*' the job is interval-like
//    ("*/15 * * * *") and runs at every real occurrence, so it keeps its
//    rhythm through the repeated hour instead of pausing for it.
#pragma once

#include "core/result.hpp"
#include "scheduler/cron_expr.hpp"
#include "scheduler/instant.hpp"
#include "scheduler/time_zone.hpp"

#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace cowork::kernel::scheduler {

// The stored, textual form (what a JobStore persists and users write).
//   kind "at":    expr "2025-03-30T01:30:00+01:00"
//   kind "every": expr "15m", "1h30m", "90s", "1d"; anchor optional ISO-8601
//   kind "cron":  expr "30 2 * * MON-FRI" or "@daily"; tz an IANA name (default "UTC")
struct ScheduleSpec {
    std::string kind;
    std::string expr;
    std::string tz;      // cron only
    std::string anchor;  // every only

    Json to_json() const;
    bool operator==(const ScheduleSpec&) const = default;
};

struct AtSchedule {
    Instant when;
};
struct EverySchedule {
    std::chrono::seconds interval;
    Instant anchor;  // occurrences are anchor + k·interval; default the Unix epoch
};
struct CronSchedule {
    CronExpr expr;
    std::shared_ptr<const TimeZone> zone;
};
using Schedule = std::variant<AtSchedule, EverySchedule, CronSchedule>;

// Errors: schedule.invalid_kind, schedule.invalid_time, schedule.invalid_interval,
// schedule.invalid_cron, tz.invalid_name, tz.unknown.
Result<Schedule> parse_schedule(const ScheduleSpec& spec);

// "1h30m" → 5400 s. Units d, h, m, s; at least 1 s.
Result<std::chrono::seconds> parse_interval(std::string_view text);

// The first occurrence strictly after `after`; nullopt when there is none
// (an `at` in the past, a cron that can never match such as "0 0 30 2 *").
std::optional<Instant> next_after(const Schedule& schedule, Instant after);

}  // namespace cowork::kernel::scheduler
