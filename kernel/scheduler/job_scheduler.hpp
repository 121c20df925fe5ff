// kernel/scheduler/job_scheduler.hpp — persistent jobs run on their schedules.
//
// The scheduler itself is a state machine over a Clock: tick() runs what is
// due at clock.now(). JobSchedulerDriver calls tick() on the executor in
// production; tests call it directly with a ManualClock.
//
// A job is due when next_run + jitter_offset(id) <= now. Its state is
// advanced and persisted before the runner is called (at-most-once: a crash
// mid-run does not repeat it).
//
// Missed runs (kernel down, machine asleep, clock jump): the most recent due
// occurrence is "on time" if it is at most `grace` late; every other due
// occurrence is missed and the job's policy decides:
//   skip      only the on-time occurrence (if any) runs
//   run_once  one run: the on-time occurrence, else the oldest missed one
//   run_all   the oldest max_catch_up missed occurrences, then the on-time one
// Afterwards next_run is the first occurrence still ahead.
#pragma once

#include "core/result.hpp"
#include "scheduler/clock.hpp"
#include "scheduler/job_store.hpp"
#include "scheduler/schedule.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::scheduler {

struct JobSchedulerOptions {
    size_t max_catch_up = 10;
    std::chrono::seconds grace{60};
    size_t max_scan = 10000;  // due occurrences examined per job per tick
};

struct JobRun {
    Job job;                // state after this tick
    Instant scheduled_for;  // the nominal occurrence this run stands for
    bool catch_up = false;  // a missed occurrence, run late
};

// [worker] Called outside the scheduler's lock; may call back into it.
using JobRunner = std::function<void(const JobRun&)>;

class JobScheduler {
public:
    // `store` and `clock` must outlive the scheduler.
    JobScheduler(JobStore& store, const Clock& clock, JobRunner runner, JobSchedulerOptions options = {});

    // [main] Reads every job from the store. Jobs whose schedule no longer
    // parses are left out and reported in the error's details; the rest load.
    Status load();

    // Validates and persists. next_run is recomputed from now when the job
    // is new, has none, or its schedule changed. Errors: schedule.*, tz.*.
    Status put(Job job);
    Status remove(std::string_view id);
    // Re-enabling does not catch up on runs missed while disabled.
    Status set_enabled(std::string_view id, bool enabled);

    // Runs whatever is due now. Returns the number of runs made.
    size_t tick();

    // Earliest (jittered) due time among enabled jobs.
    std::optional<Instant> next_wake() const;
    std::vector<Job> jobs() const;
    std::optional<Job> job(std::string_view id) const;

    // Called after put/remove/set_enabled, so a driver can re-arm its timer.
    void on_change(std::function<void()> callback);

private:
    struct Entry {
        Job job;
        Schedule schedule;
    };

    std::optional<Instant> upcoming(const Entry& entry, Instant now) const;
    std::vector<JobRun> due_runs(Entry& entry, Instant now);
    void notify_change();

    JobStore& store_;
    const Clock& clock_;
    const JobRunner runner_;
    const JobSchedulerOptions options_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry, std::less<>> entries_;
    std::function<void()> on_change_;
};

}  // namespace cowork::kernel::scheduler
