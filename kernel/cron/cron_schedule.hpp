// kernel/cron/cron_schedule.hpp — a cron job's `schedule` object, checked and
// turned into the scheduler's ScheduleSpec.
//
//   {kind:"at",    at: "2026-03-01T09:00:00+01:00" | 1772352000000 (Unix ms)}
//   {kind:"every", everyMs: 300000 | every: "5m" | "1h" | "1d", anchor?: ISO | ms}
//   {kind:"cron",  expr: "30 7 * * MON-FRI", tz?: "Europe/Berlin"}
// Any kind may carry `tz` (default: the machine's zone): cron evaluates in
// it, and the prompt template's dates are in it for every kind.
#pragma once

#include "core/result.hpp"
#include "scheduler/instant.hpp"
#include "scheduler/schedule.hpp"

namespace cowork::kernel::cron {

struct CronSchedule {
    Json json;                   // as given, with `tz` filled in
    scheduler::ScheduleSpec spec;
    std::string tz;              // IANA name
};

// Errors are INVALID_PARAMS naming the field ("params.schedule.expr: cron
// field 2 (hour): 25 out of range 0-23"), with details.field. `now` decides
// whether an `at` lies in the past; pass std::nullopt to skip that check
// (a stored job whose one run already happened).
Result<CronSchedule> parse_cron_schedule(const Json& schedule, std::optional<scheduler::Instant> now);

// A field error in the API's shape: INVALID_PARAMS, "params.<field>: <why>".
Error field_error(const std::string& field, const std::string& why);

}  // namespace cowork::kernel::cron
