// kernel/cron/cron_service.hpp — cron jobs that start agent tasks.
//
// The schedule is the scheduler's (scheduler::JobScheduler over
// cron_definitions: at/every/cron, IANA zones, DST, missed-run policy); this
// service decides what a due job does:
//   render the prompt → task.create through the API as caller cron:<jobId>
//   → watch the task (tick) → cancel it past timeoutSeconds → record the run
//   → enqueue the delivery in the outbox (key cron:<jobId>:<runId>).
// A job never overlaps itself (the extra run is recorded `skipped`) and at
// most `max_concurrent_runs` cron runs are in flight.
//
// Only a *driving* service (coworkd) runs anything. A service that does not
// drive (the CLI's in-process kernel) edits jobs and files run/wake requests
// in cron_requests; the daemon carries them out on its next tick and reloads
// jobs whenever cron_meta.revision moved.
//
// Time comes from the injected Clock, so tests run days of schedules in
// milliseconds with a ManualClock and call tick() themselves.
#pragma once

#include "api/api.hpp"
#include "bus/event_bus.hpp"
#include "cron/cron_store.hpp"
#include "outbox/outbox.hpp"
#include "scheduler/clock.hpp"
#include "scheduler/job_scheduler.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace cowork::kernel::cron {

struct CronOptions {
    bool drive = true;             // false: the CLI — no runs here, requests go to the daemon
    int max_concurrent_runs = 4;   // [scheduler] max_concurrent_cron_runs
    size_t history_per_job = 50;   // cron_runs rows kept per job
};

struct CronDeps {
    storage::Database& db;
    api::Api& api;                   // task.create / task.get / task.cancel
    const scheduler::Clock& clock;
    outbox::Outbox* outbox = nullptr;  // null: deliveries are refused at cron.add
    bus::EventBus* bus = nullptr;      // cron.run.started / cron.run.finished
    // Ok when a task could run in this workspace (an id or a folder).
    std::function<Status(const std::string&)> check_workspace;
    // The trigger secret (cron.trigger_secret) or an error (not set, store locked).
    std::function<Result<std::string>()> trigger_secret;
    // Ok when a delivery's channel exists; unset: not checked.
    std::function<Status(const std::string&)> check_channel = {};
};

class CronService {
public:
    // [main] Loads jobs. A driving service also closes runs a dead kernel left
    // `running` (their tasks were interrupted) as errors.
    static Result<std::unique_ptr<CronService>> create(CronDeps deps, CronOptions options);
    ~CronService();

    // The API, one call each (params as in docs/cron.md). [any-thread]
    Result<Json> list() const;
    Result<Json> get(const Json& params) const;
    Result<Json> add(const Json& params);
    Result<Json> update(const Json& params);
    Result<Json> remove(const Json& params);
    Result<Json> run(const Json& params);      // {id, force?}
    Result<Json> runs(const Json& params) const;  // {id, limit?}
    Result<Json> wake(const Json& params);     // {text, mode: "now"|"next"}
    Result<Json> trigger(const Json& params);  // {jobId|jobName, secret}

    // [worker] One step: carry out requests, pick up jobs changed elsewhere,
    // start due runs, settle finished or timed-out ones. Serialized.
    void tick();
    // Runs in flight now.
    size_t active_runs() const;

private:
    struct Active {
        std::string run_id, job_id, task_id;
        scheduler::Instant deadline;
    };
    struct Start {
        std::string trigger;  // schedule | catch_up | manual | wake | webhook
        std::optional<scheduler::Instant> scheduled_for;
        std::string wake_text;
    };

    CronService(CronDeps deps, CronOptions options);

    Result<CronJob> job_for(const Json& params, const char* key = "id") const;
    Status check_references(const CronJob& job, bool workspace, bool delivery) const;
    Result<Json> start_run(const CronJob& job, const Start& start);
    Result<Json> skip_run(const CronJob& job, const Start& start, const std::string& why);
    void on_due(const scheduler::JobRun& due);
    void poll_active();
    void finish(const Active& run, const std::string& status, const std::string& error, const std::string& result_text);
    void deliver(const CronJob& job, const std::string& run_id, const std::string& task_id, const std::string& status,
                 const std::string& error, const std::string& result_text);
    void update_state(const std::string& job_id, const std::function<void(CronJobState&)>& change);
    void carry_out_requests();
    void reload_if_changed();
    void close_orphaned_runs();
    Result<Json> file_request(const std::string& kind, const std::string& job_id, const Json& payload);
    Result<Json> wake_now(const std::string& text);
    int64_t now_ms() const;
    void publish(const char* topic, Json payload) const;

    CronDeps deps_;
    const CronOptions options_;
    CronStore store_;
    CronJobStore job_store_;
    std::unique_ptr<scheduler::JobScheduler> schedule_;
    mutable std::mutex mutex_;                 // active_, revision_, state updates
    std::map<std::string, Active> active_;    // by job id
    int64_t revision_ = -1;
    std::mutex tick_mutex_;
};

}  // namespace cowork::kernel::cron
