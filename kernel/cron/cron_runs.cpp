// kernel/cron/cron_runs.cpp — one run of a cron job: start the task, watch
// it, time it out, record it, deliver its result.
#include "core/log.hpp"
#include "cron/cron_service.hpp"
#include "cron/prompt_template.hpp"
#include "scheduler/time_zone.hpp"
#include "storage/ids.hpp"

namespace cowork::kernel::cron {
namespace {

using scheduler::Instant;

int64_t to_ms(Instant t) { return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count(); }

// The job's identity when it talks to the API: least privilege that can
// create and cancel tasks, and a name that shows in every task it made.
api::Caller job_caller(const std::string& job_id) {
    return api::Caller{"cron:" + job_id, "operator", api::scopes_for_role("operator"), "cron"};
}

std::string render_for(const CronJob& job, Instant now, const std::string& wake_text) {
    auto zone = scheduler::TimeZone::load(job.schedule.tz);
    if (!zone) zone = scheduler::TimeZone::load("UTC");
    std::optional<Instant> prev;
    if (job.state.last_run_at) prev = Instant(std::chrono::seconds(*job.state.last_run_at / 1000));
    return render_prompt(job.prompt, template_values(**zone, now, prev, job.name, wake_text));
}

}  // namespace

size_t CronService::active_runs() const {
    std::lock_guard lock(mutex_);
    return active_.size();
}

void CronService::update_state(const std::string& job_id, const std::function<void(CronJobState&)>& change) {
    std::lock_guard lock(mutex_);  // read-modify-write of one job's state
    auto job = store_.find(job_id);
    if (!job || !*job) return;     // removed meanwhile: nothing to keep
    CronJobState state = (*job)->state;
    change(state);
    if (auto st = store_.save_state(job_id, state); !st)
        logger()->error("cron: cannot save the state of job {}: {}", job_id, st.error().message);
}

Result<Json> CronService::skip_run(const CronJob& job, const Start& start, const std::string& why) {
    CronRun run;
    run.id = storage::new_id("run_");
    run.job_id = job.id;
    if (start.scheduled_for) run.scheduled_for = to_ms(*start.scheduled_for);
    run.started_at = now_ms();
    run.finished_at = run.started_at;
    run.status = "skipped";
    run.trigger = start.trigger;
    run.error = why;
    if (auto st = store_.insert_run(run); !st) return st.error();
    (void)store_.finish_run(run);  // trims the history
    update_state(job.id, [](CronJobState& s) {
        s.totals["runs"] = s.totals.value("runs", 0) + 1;
        s.totals["skipped"] = s.totals.value("skipped", 0) + 1;
    });
    logger()->info("cron: run of job {} '{}' skipped: {}", job.id, job.name, why);
    return run.to_json();
}

Result<Json> CronService::start_run(const CronJob& job, const Start& start) {
    const Instant now = deps_.clock.now();
    CronRun run;
    run.id = storage::new_id("run_");
    run.job_id = job.id;
    if (start.scheduled_for) run.scheduled_for = to_ms(*start.scheduled_for);
    run.started_at = to_ms(now);
    run.status = "running";
    run.trigger = start.trigger;
    {
        // Reserve the job's slot before any slow call, so two triggers of one
        // job at the same moment cannot both start it.
        std::unique_lock lock(mutex_);
        if (auto it = active_.find(job.id); it != active_.end()) {
            const std::string busy = it->second.run_id;
            lock.unlock();
            return skip_run(job, start, "the previous run (" + busy + ") is still running");
        }
        if (static_cast<int>(active_.size()) >= options_.max_concurrent_runs) {
            lock.unlock();
            return skip_run(job, start, std::to_string(options_.max_concurrent_runs) +
                                            " cron runs are already running ([scheduler] max_concurrent_cron_runs)");
        }
        active_[job.id] = Active{run.id, job.id, "", now + std::chrono::seconds(job.timeout_seconds)};
    }
    if (auto st = store_.insert_run(run); !st) {
        std::lock_guard lock(mutex_);
        active_.erase(job.id);
        return st.error();
    }
    Json params{{"prompt", render_for(job, now, start.wake_text)},
                {"title", job.title.empty() ? "cron: " + job.name : job.title},
                {"workspace", job.workspace},
                {"source", {{"kind", "cron"}, {"jobId", job.id}, {"runId", run.id}}}};
    if (!job.provider.empty()) params["provider"] = job.provider;
    if (!job.model.empty()) params["model"] = job.model;
    auto task = deps_.api.call(job_caller(job.id), "task.create", params);
    update_state(job.id, [&](CronJobState& s) {
        s.last_run_at = run.started_at;
        s.last_status = "running";
        if (task) s.last_task_id = task->value("id", "");
    });
    if (!task) {
        finish(Active{run.id, job.id, "", now}, "error", "the task could not be created: " + task.error().message, "");
        return make_error(api::kMethodFailed, "cron job '" + job.name + "': the task could not be created: " +
                                                  task.error().message);
    }
    const std::string task_id = task->value("id", "");
    {
        std::lock_guard lock(mutex_);
        if (auto it = active_.find(job.id); it != active_.end()) it->second.task_id = task_id;
    }
    run.task_id = task_id;
    (void)store_.finish_run(run);  // records the task id while still `running`
    logger()->info("cron: job {} '{}' started task {} (run {}, {})", job.id, job.name, task_id, run.id, start.trigger);
    publish("cron.run.started", {{"jobId", job.id}, {"runId", run.id}, {"taskId", task_id}, {"trigger", start.trigger}});
    return run.to_json();
}

void CronService::on_due(const scheduler::JobRun& due) {
    auto job = store_.find(due.job.id);
    if (!job || !*job) return;
    std::string wake_text = (*job)->state.pending_wake_text;
    if (!wake_text.empty()) update_state((*job)->id, [](CronJobState& s) { s.pending_wake_text.clear(); });
    (void)start_run(**job, Start{due.catch_up ? "catch_up" : "schedule", due.scheduled_for, wake_text});
}

// Settles runs whose task ended, and cancels those past their timeout.
void CronService::poll_active() {
    std::vector<Active> snapshot;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, a] : active_)
            if (!a.task_id.empty()) snapshot.push_back(a);
    }
    const auto system = api::Caller::system("cron");
    for (const auto& a : snapshot) {
        auto task = deps_.api.call(system, "task.get", Json{{"id", a.task_id}});
        if (!task) {
            finish(a, "error", "the task can no longer be read: " + task.error().message, "");
            continue;
        }
        const std::string status = task->value("status", "");
        const Json& result = (*task)["result"];
        const std::string text = result.is_object() && result.contains("text") && result["text"].is_string()
                                     ? result["text"].get<std::string>()
                                     : "";
        const std::string task_error = (*task)["error"].is_string() ? (*task)["error"].get<std::string>() : "";
        if (status == "completed") finish(a, "ok", "", text);
        else if (status == "failed") finish(a, "error", task_error.empty() ? "the task failed" : task_error, text);
        else if (status == "cancelled") finish(a, "error", "the task was cancelled", text);
        else if (status == "interrupted")
            finish(a, "error", "the task was interrupted (kernel stopped); resume it with `cowork task resume " +
                                   a.task_id + "`", text);
        else if (deps_.clock.now() >= a.deadline) {
            if (auto c = deps_.api.call(system, "task.cancel", Json{{"id", a.task_id}}); !c)
                logger()->warn("cron: cancelling timed-out task {}: {}", a.task_id, c.error().message);
            finish(a, "timeout", "the task ran past the job's timeoutSeconds and was cancelled", "");
        }
    }
}

void CronService::finish(const Active& a, const std::string& status, const std::string& error,
                         const std::string& result_text) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = active_.find(a.job_id); it != active_.end() && it->second.run_id == a.run_id) active_.erase(it);
    }
    CronRun run;
    run.id = a.run_id;
    run.job_id = a.job_id;
    run.status = status;
    run.finished_at = now_ms();
    run.task_id = a.task_id;
    run.error = error;
    if (auto st = store_.finish_run(run); !st)
        logger()->error("cron: cannot record the end of run {}: {}", a.run_id, st.error().message);
    update_state(a.job_id, [&](CronJobState& s) {
        s.last_status = status;
        s.last_error = error;
        s.totals["runs"] = s.totals.value("runs", 0) + 1;
        s.totals[status] = s.totals.value(status, 0) + 1;
    });
    logger()->info("cron: run {} of job {} ended {}{}{}", a.run_id, a.job_id, status, error.empty() ? "" : ": ", error);
    publish("cron.run.finished",
            {{"jobId", a.job_id}, {"runId", a.run_id}, {"taskId", a.task_id}, {"status", status}, {"error", error}});
    auto job = store_.find(a.job_id);
    if (!job || !*job) return;
    deliver(**job, a.run_id, a.task_id, status, error, result_text);
    if (status == "ok" && (*job)->delete_after_run) {
        logger()->info("cron: one-shot job {} '{}' ran; deleting it (deleteAfterRun)", (*job)->id, (*job)->name);
        (void)remove(Json{{"id", (*job)->id}});
    }
}

void CronService::deliver(const CronJob& job, const std::string& run_id, const std::string& task_id,
                          const std::string& status, const std::string& error, const std::string& result_text) {
    if (!job.delivery || !deps_.outbox) return;
    const CronDelivery& d = *job.delivery;
    const bool ok = status == "ok";
    if (ok && !d.on_success) return;
    if (!ok && !d.on_error) return;
    if (ok && d.only_if_result && result_text.empty()) return;
    const std::string text = ok ? result_text : "Cron job '" + job.name + "' ended " + status + ": " + error;
    outbox::NewDelivery item{d.channel_id, d.to, text, "cron:" + job.id + ":" + run_id,
                             Json{{"kind", "cron"}, {"jobId", job.id}, {"runId", run_id}, {"taskId", task_id},
                                  {"status", status}}};
    if (auto e = deps_.outbox->enqueue(item); !e)
        logger()->error("cron: the result of run {} could not be queued for delivery: {}", run_id, e.error().message);
}

// Runs a dead kernel left `running`: their tasks were interrupted at boot.
void CronService::close_orphaned_runs() {
    auto orphans = store_.running();
    if (!orphans) return;
    for (const auto& r : *orphans)
        finish(Active{r.id, r.job_id, r.task_id, deps_.clock.now()}, "error",
               "coworkd stopped while this run was in progress" +
                   (r.task_id.empty() ? std::string() : "; resume its task with `cowork task resume " + r.task_id + "`"),
               "");
}

}  // namespace cowork::kernel::cron
