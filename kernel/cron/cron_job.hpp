// kernel/cron/cron_job.hpp — a cron job: what the user defined, and the
// state the service keeps about its runs.
#pragma once

#include "core/result.hpp"
#include "cron/cron_schedule.hpp"
#include "scheduler/job.hpp"

#include <optional>
#include <string>

namespace cowork::kernel::cron {

struct CronDelivery {
    std::string channel_id, to;
    bool on_success = true;
    bool on_error = true;
    bool only_if_result = false;  // skip when the task produced no text
};

// Kept by the service; never set through the API.
struct CronJobState {
    std::optional<int64_t> next_run_at, last_run_at;  // Unix ms
    std::string last_status, last_error, last_task_id;
    Json totals = Json{{"runs", 0}, {"ok", 0}, {"error", 0}, {"timeout", 0}, {"skipped", 0}};
    std::string pending_wake_text;  // from cron.wake {mode:"next"}, used by the next run
};

struct CronJob {
    std::string id;
    std::string name, description;
    bool enabled = true;
    CronSchedule schedule;
    std::string prompt, title, workspace, provider, model;
    int64_t timeout_seconds = 1800;
    bool run_on_wake = false;
    bool delete_after_run = false;  // kind "at" only
    std::optional<CronDelivery> delivery;
    scheduler::MissedRunPolicy missed = scheduler::MissedRunPolicy::RunOnce;
    int64_t created_at = 0, updated_at = 0;
    CronJobState state;

    // The user-facing definition (what cron.add takes and cron.get shows).
    Json definition() const;
    // definition + id + state, as the API returns it.
    Json to_json() const;
};

// Checks a whole definition (cron.add params, or a stored definition with a
// cron.update patch applied). Errors are INVALID_PARAMS naming the field.
// `now`: see parse_cron_schedule (nullopt skips the "at in the past" check).
Result<CronJob> job_from_definition(const Json& definition, std::optional<scheduler::Instant> now);

// `patch` applied to `base.definition()`: top-level keys replace, except
// `delivery`, whose keys merge (null removes delivery altogether).
Json patched_definition(const CronJob& base, const Json& patch);

}  // namespace cowork::kernel::cron
