// kernel/cron/cron_service.cpp — jobs: create, load, API edits, requests.
// (Runs themselves are in cron_runs.cpp.)
#include "cron/cron_service.hpp"

#include "core/log.hpp"
#include "cron/trigger_secret.hpp"
#include "storage/ids.hpp"

namespace cowork::kernel::cron {

using api::kInvalidParams;
using api::kMethodFailed;

CronService::CronService(CronDeps deps, CronOptions options)
    : deps_(std::move(deps)), options_(options), store_(deps_.db, options.history_per_job), job_store_(deps_.db) {
    schedule_ = std::make_unique<scheduler::JobScheduler>(job_store_, deps_.clock,
                                                          [this](const scheduler::JobRun& due) { on_due(due); });
}

CronService::~CronService() = default;

Result<std::unique_ptr<CronService>> CronService::create(CronDeps deps, CronOptions options) {
    std::unique_ptr<CronService> service(new CronService(std::move(deps), options));
    auto revision = service->store_.revision();
    if (!revision) return revision.error();
    service->revision_ = *revision;
    if (auto st = service->schedule_->load(); !st) logger()->warn("cron: {}", st.error().message);
    if (options.drive) service->close_orphaned_runs();
    return service;
}

int64_t CronService::now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deps_.clock.now().time_since_epoch()).count();
}

void CronService::publish(const char* topic, Json payload) const {
    if (!deps_.bus) return;
    if (auto st = deps_.bus->publish(topic, std::move(payload)); !st)
        logger()->debug("cron: publish {}: {}", topic, st.error().message);
}

Result<CronJob> CronService::job_for(const Json& params, const char* key) const {
    if (!params.is_object() || !params.contains(key) || !params[key].is_string() || params[key].get<std::string>().empty())
        return field_error(key, "is required: a cron job id or name (see cron.list)");
    const std::string ref = params[key].get<std::string>();
    auto found = store_.find(ref);
    if (!found) return found.error();
    if (!*found) return make_error(kInvalidParams, "no cron job '" + ref + "' (see cron.list)", Json{{"field", key}});
    return std::move(**found);
}

// The workspace and the delivery channel a job names must exist.
Status CronService::check_references(const CronJob& job, bool workspace, bool delivery) const {
    if (workspace && deps_.check_workspace)
        if (auto st = deps_.check_workspace(job.workspace); !st) return field_error("workspace", st.error().message);
    if (!delivery || !job.delivery) return ok_status();
    if (!deps_.outbox) return field_error("delivery", "this kernel has no outbox to deliver through");
    if (deps_.check_channel)
        if (auto st = deps_.check_channel(job.delivery->channel_id); !st)
            return field_error("delivery.channelId", st.error().message);
    return ok_status();
}

Result<Json> CronService::list() const {
    auto jobs = store_.load_all();
    if (!jobs) return jobs.error();
    Json out = Json::array();
    for (const auto& j : *jobs) out.push_back(j.to_json());
    return out;
}

Result<Json> CronService::get(const Json& params) const {
    auto job = job_for(params);
    if (!job) return job.error();
    return job->to_json();
}

Result<Json> CronService::add(const Json& params) {
    if (params.is_object() && params.contains("id")) return field_error("id", "is chosen by the kernel; leave it out");
    auto job = job_from_definition(params, deps_.clock.now());
    if (!job) return job.error();
    if (auto st = check_references(*job, true, true); !st) return st.error();
    job->id = storage::new_id("cron_");
    job->created_at = job->updated_at = now_ms();
    auto revision = store_.insert(*job);
    if (!revision) return revision.error();
    if (auto st = schedule_->put(scheduler_job(*job)); !st) {
        (void)store_.remove(job->id);
        return field_error("schedule", st.error().message);
    }
    {
        std::lock_guard lock(mutex_);
        if (revision_ == *revision - 1) revision_ = *revision;
    }
    logger()->info("cron: job {} '{}' added ({})", job->id, job->name, job->schedule.spec.kind);
    return get(Json{{"id", job->id}});
}

Result<Json> CronService::update(const Json& params) {
    auto base = job_for(params);
    if (!base) return base.error();
    Json patch = params;
    patch.erase("id");
    if (patch.empty()) return make_error(kInvalidParams, "nothing to change: pass the fields to update along with id");
    const bool new_schedule = patch.contains("schedule");
    auto job = job_from_definition(patched_definition(*base, patch), new_schedule ? std::optional(deps_.clock.now())
                                                                                   : std::nullopt);
    if (!job) return job.error();
    if (auto st = check_references(*job, patch.contains("workspace"), patch.contains("delivery")); !st) return st.error();
    job->id = base->id;
    job->created_at = base->created_at;
    job->updated_at = now_ms();
    job->state = base->state;
    auto revision = store_.update_definition(*job);
    if (!revision) return revision.error();
    if (auto st = schedule_->put(scheduler_job(*job)); !st) return field_error("schedule", st.error().message);
    {
        std::lock_guard lock(mutex_);
        if (revision_ == *revision - 1) revision_ = *revision;
    }
    return get(Json{{"id", job->id}});
}

Result<Json> CronService::remove(const Json& params) {
    auto job = job_for(params);
    if (!job) return job.error();
    auto revision = store_.remove(job->id);
    if (!revision) return revision.error();
    (void)schedule_->remove(job->id);
    {
        std::lock_guard lock(mutex_);
        if (revision_ == *revision - 1) revision_ = *revision;
    }
    logger()->info("cron: job {} '{}' removed", job->id, job->name);
    return Json{{"id", job->id}, {"removed", true}};
}

Result<Json> CronService::runs(const Json& params) const {
    auto job = job_for(params);
    if (!job) return job.error();
    int limit = 20;
    if (params.contains("limit")) {
        if (!params["limit"].is_number_integer() || params["limit"].get<int>() < 1)
            return field_error("limit", "must be a positive whole number");
        limit = std::min(params["limit"].get<int>(), static_cast<int>(options_.history_per_job));
    }
    auto rows = store_.runs(job->id, limit);
    if (!rows) return rows.error();
    Json out = Json::array();
    for (const auto& r : *rows) out.push_back(r.to_json());
    return out;
}

// A kernel that does not drive the schedule (the CLI) hands runs to coworkd.
Result<Json> CronService::file_request(const std::string& kind, const std::string& job_id, const Json& payload) {
    if (auto st = store_.add_request(kind, job_id, payload, now_ms()); !st) return st.error();
    return Json{{"queued", true},
                {"message", "coworkd carries this out within a second or two; if coworkd is not running, start it "
                            "(the request waits in cowork.db until then)"}};
}

Result<Json> CronService::run(const Json& params) {
    auto job = job_for(params);
    if (!job) return job.error();
    const bool force = params.value("force", false);
    if (!job->enabled && !force)
        return make_error(kMethodFailed, "cron job '" + job->name + "' is disabled; enable it (cron.update {id, "
                                         "enabled: true}) or pass force: true to run it once anyway");
    if (!options_.drive) return file_request("run", job->id, Json{{"trigger", "manual"}});
    return start_run(*job, Start{"manual", std::nullopt, ""});
}

Result<Json> CronService::wake(const Json& params) {
    if (!params.is_object() || !params.contains("text") || !params["text"].is_string())
        return field_error("text", "is required: the text the woken jobs see as {{wake_text}}");
    const std::string text = params["text"].get<std::string>();
    const std::string mode = params.value("mode", "now");
    if (mode == "next") {
        // Each runOnWake job gets the text for its next scheduled run.
        auto jobs = store_.load_all();
        if (!jobs) return jobs.error();
        Json ids = Json::array();
        for (const auto& j : *jobs) {
            if (!j.run_on_wake || !j.enabled) continue;
            update_state(j.id, [&](CronJobState& s) { s.pending_wake_text = text; });
            ids.push_back(j.id);
        }
        return Json{{"mode", "next"}, {"jobs", ids}};
    }
    if (mode != "now") return field_error("mode", "must be \"now\" or \"next\"");
    if (!options_.drive) return file_request("wake", "", Json{{"text", text}});
    return wake_now(text);
}

Result<Json> CronService::wake_now(const std::string& text) {
    auto jobs = store_.load_all();
    if (!jobs) return jobs.error();
    Json started = Json::array();
    for (const auto& j : *jobs) {
        if (!j.run_on_wake || !j.enabled) continue;
        auto r = start_run(j, Start{"wake", std::nullopt, text});
        started.push_back(r ? *r : Json{{"jobId", j.id}, {"error", r.error().message}});
    }
    return Json{{"mode", "now"}, {"runs", started}};
}

Result<Json> CronService::trigger(const Json& params) {
    if (!params.is_object() || !params.contains("secret") || !params["secret"].is_string())
        return field_error("secret", "is required");
    if (!deps_.trigger_secret)
        return make_error(kMethodFailed, "cron triggers are unavailable in this kernel (no secrets service)");
    auto stored = deps_.trigger_secret();
    if (!stored) {
        if (stored.error().code == "secrets.not_found")
            return make_error(kMethodFailed, std::string("no trigger secret is configured; set one with `cowork secret "
                                                         "set ") + kTriggerSecretKey + " <long random value>`");
        return make_error(kMethodFailed, "the trigger secret cannot be read: " + stored.error().message);
    }
    if (!secrets_equal(params["secret"].get<std::string>(), *stored))
        return make_error(api::kUnauthorized, "the trigger secret does not match");
    const char* key = params.contains("jobId") ? "jobId" : "jobName";
    auto job = job_for(params, key);
    if (!job) return job.error();
    if (!job->enabled)
        return make_error(kMethodFailed, "cron job '" + job->name + "' is disabled; enable it with cron.update");
    if (!options_.drive) return file_request("run", job->id, Json{{"trigger", "webhook"}});
    return start_run(*job, Start{"webhook", std::nullopt, ""});
}

void CronService::carry_out_requests() {
    auto requests = store_.take_requests();
    if (!requests) {
        logger()->warn("cron: cannot read requests: {}", requests.error().message);
        return;
    }
    for (const auto& r : *requests) {
        if (r.kind == "wake") {
            (void)wake_now(r.payload.value("text", ""));
            continue;
        }
        auto job = store_.find(r.job_id);
        if (!job || !*job) {
            logger()->warn("cron: request to run job {} dropped: the job is gone", r.job_id);
            continue;
        }
        (void)start_run(**job, Start{r.payload.value("trigger", "manual"), std::nullopt, ""});
    }
}

// Jobs added or changed by another process (the CLI) reach this scheduler.
void CronService::reload_if_changed() {
    auto revision = store_.revision();
    if (!revision) return;
    {
        std::lock_guard lock(mutex_);
        if (*revision == revision_) return;
        revision_ = *revision;
    }
    if (auto st = schedule_->load(); !st) logger()->warn("cron: reload: {}", st.error().message);
}

void CronService::tick() {
    if (!options_.drive) return;
    std::lock_guard serialized(tick_mutex_);
    poll_active();
    carry_out_requests();
    reload_if_changed();
    if (schedule_->tick() > 0) poll_active();  // a task may be over already
}

}  // namespace cowork::kernel::cron
