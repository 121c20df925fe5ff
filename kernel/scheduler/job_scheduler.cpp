// kernel/scheduler/job_scheduler.cpp
#include "scheduler/job_scheduler.hpp"

#include "core/log.hpp"
#include "scheduler/jitter.hpp"

#include <deque>

namespace cowork::kernel::scheduler {

JobScheduler::JobScheduler(JobStore& store, const Clock& clock, JobRunner runner, JobSchedulerOptions options)
    : store_(store), clock_(clock), runner_(std::move(runner)), options_(options) {}

// The first occurrence whose jittered time is still ahead of `now`.
std::optional<Instant> JobScheduler::upcoming(const Entry& entry, Instant now) const {
    return next_after(entry.schedule, now - jitter_offset(entry.job.id, entry.job.jitter));
}

Status JobScheduler::load() {
    auto stored = store_.load_all();
    if (!stored) return stored.error();
    Json broken = Json::array();
    {
        std::lock_guard lock(mutex_);
        entries_.clear();
        for (auto& job : *stored) {
            auto schedule = parse_schedule(job.schedule);
            if (!schedule) {
                logger()->warn("scheduler: job '{}' not loaded: {}", job.id, schedule.error().message);
                broken.push_back(Json{{"id", job.id}, {"error", schedule.error().to_json()}});
                continue;
            }
            Entry entry{std::move(job), std::move(schedule.value())};
            // A job that never had a next_run resumes after its last run, so
            // anything missed since is seen (and judged by its policy) on tick.
            if (!entry.job.next_run)
                entry.job.next_run = entry.job.last_run ? next_after(entry.schedule, *entry.job.last_run)
                                                        : upcoming(entry, clock_.now());
            entries_.insert_or_assign(entry.job.id, std::move(entry));
        }
    }
    if (!broken.empty())
        return make_error("scheduler.jobs_not_loaded",
                          std::to_string(broken.size()) + " job(s) have schedules that no longer parse; fix or "
                                                          "remove them",
                          Json{{"jobs", broken}});
    return ok_status();
}

Status JobScheduler::put(Job job) {
    if (job.id.empty()) return make_error("scheduler.invalid_job", "a job needs an id");
    auto schedule = parse_schedule(job.schedule);
    if (!schedule) return schedule.error();
    {
        std::lock_guard lock(mutex_);
        Entry entry{std::move(job), std::move(schedule.value())};
        auto existing = entries_.find(entry.job.id);
        bool same_schedule = existing != entries_.end() && existing->second.job.schedule == entry.job.schedule;
        if (existing != entries_.end() && !entry.job.last_run) entry.job.last_run = existing->second.job.last_run;
        if (!same_schedule || !entry.job.next_run) entry.job.next_run = upcoming(entry, clock_.now());
        if (auto st = store_.upsert(entry.job); !st) return st;
        entries_.insert_or_assign(entry.job.id, std::move(entry));
    }
    notify_change();
    return ok_status();
}

Status JobScheduler::remove(std::string_view id) {
    {
        std::lock_guard lock(mutex_);
        if (auto st = store_.remove(id); !st) return st;
        if (auto it = entries_.find(id); it != entries_.end()) entries_.erase(it);
    }
    notify_change();
    return ok_status();
}

Status JobScheduler::set_enabled(std::string_view id, bool enabled) {
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(id);
        if (it == entries_.end()) return make_error("scheduler.unknown_job", "no job '" + std::string(id) + "'");
        Entry& entry = it->second;
        if (enabled && !entry.job.enabled) entry.job.next_run = upcoming(entry, clock_.now());
        entry.job.enabled = enabled;
        if (auto st = store_.upsert(entry.job); !st) return st;
    }
    notify_change();
    return ok_status();
}

// Collects the runs owed by one due job and advances its state.
std::vector<JobRun> JobScheduler::due_runs(Entry& entry, Instant now) {
    Job& job = entry.job;
    const auto offset = jitter_offset(job.id, job.jitter);
    std::deque<Instant> due;  // the oldest max_catch_up + the latest
    Instant latest = *job.next_run;
    size_t count = 0;
    for (std::optional<Instant> t = job.next_run; t && *t + offset <= now && count < options_.max_scan;
         t = next_after(entry.schedule, *t)) {
        latest = *t;
        if (due.size() <= options_.max_catch_up) due.push_back(*t);
        ++count;
    }
    const bool on_time = count < options_.max_scan && now - (latest + offset) <= options_.grace;
    std::vector<Instant> missed(due.begin(), due.end());
    if (on_time && !missed.empty() && missed.back() == latest) missed.pop_back();
    if (missed.size() > options_.max_catch_up) missed.resize(options_.max_catch_up);

    std::vector<std::pair<Instant, bool>> runs;  // (occurrence, catch_up)
    switch (job.missed) {
        case MissedRunPolicy::Skip: break;
        case MissedRunPolicy::RunOnce:
            if (!on_time && !missed.empty()) runs.emplace_back(missed.front(), true);
            break;
        case MissedRunPolicy::RunAll:
            for (Instant t : missed) runs.emplace_back(t, true);
            break;
    }
    if (on_time) runs.emplace_back(latest, false);
    if (count > runs.size())
        logger()->info("scheduler: job '{}' missed {} run(s); policy {} ran {}", job.id, count - (on_time ? 1 : 0),
                       to_string(job.missed), runs.size() - (on_time ? 1 : 0));

    if (!runs.empty()) job.last_run = runs.back().first;
    job.next_run = upcoming(entry, now);
    if (auto st = store_.record_run(job.id, job.last_run, job.next_run); !st)
        logger()->error("scheduler: could not persist job '{}': {}", job.id, st.error().message);

    std::vector<JobRun> out;
    for (auto [when, catch_up] : runs) out.push_back(JobRun{job, when, catch_up});
    return out;
}

size_t JobScheduler::tick() {
    std::vector<JobRun> runs;
    {
        std::lock_guard lock(mutex_);
        const Instant now = clock_.now();
        for (auto& [id, entry] : entries_) {
            const Job& job = entry.job;
            if (!job.enabled || !job.next_run) continue;
            if (*job.next_run + jitter_offset(job.id, job.jitter) > now) continue;
            auto owed = due_runs(entry, now);
            runs.insert(runs.end(), std::make_move_iterator(owed.begin()), std::make_move_iterator(owed.end()));
        }
    }
    for (const auto& run : runs) {
        try {
            runner_(run);
        } catch (const std::exception& e) {
            logger()->warn("scheduler: job '{}' runner threw: {}", run.job.id, e.what());
        }
    }
    return runs.size();
}

std::optional<Instant> JobScheduler::next_wake() const {
    std::lock_guard lock(mutex_);
    std::optional<Instant> wake;
    for (const auto& [id, entry] : entries_) {
        const Job& job = entry.job;
        if (!job.enabled || !job.next_run) continue;
        Instant due = *job.next_run + jitter_offset(job.id, job.jitter);
        if (!wake || due < *wake) wake = due;
    }
    return wake;
}

std::vector<Job> JobScheduler::jobs() const {
    std::lock_guard lock(mutex_);
    std::vector<Job> out;
    for (const auto& [id, entry] : entries_) out.push_back(entry.job);
    return out;
}

std::optional<Job> JobScheduler::job(std::string_view id) const {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(id); it != entries_.end()) return it->second.job;
    return std::nullopt;
}

void JobScheduler::on_change(std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    on_change_ = std::move(callback);
}

void JobScheduler::notify_change() {
    std::function<void()> callback;
    {
        std::lock_guard lock(mutex_);
        callback = on_change_;
    }
    if (callback) callback();
}

}  // namespace cowork::kernel::scheduler
