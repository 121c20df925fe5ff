// JobScheduler with a ManualClock: due runs, missed-run policies, jitter, enable/disable.
#include "scheduler/job_scheduler.hpp"

#include "scheduler/jitter.hpp"
#include "scheduler/memory_job_store.hpp"
#include "test_time.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cowork::kernel::scheduler {
namespace {

using namespace std::chrono;
using test::at;

class JobSchedulerTest : public ::testing::Test {
protected:
    ManualClock clock{at("2025-01-01T00:00:00Z")};
    MemoryJobStore store;
    std::vector<JobRun> runs;
    JobScheduler scheduler{store, clock, [this](const JobRun& run) { runs.push_back(run); }};

    static Job hourly(const char* id, MissedRunPolicy policy) {
        Job job;
        job.id = id;
        job.schedule = ScheduleSpec{"every", "1h", "", ""};
        job.missed = policy;
        return job;
    }

    // A job persisted with next_run 01:00, as if the kernel stopped at 00:30.
    void stored_hourly(MissedRunPolicy policy) {
        Job job = hourly("backup", policy);
        job.next_run = at("2025-01-01T01:00:00Z");
        ASSERT_TRUE(store.upsert(job).ok());
    }

    std::vector<std::string> run_times() const {
        std::vector<std::string> out;
        for (const auto& r : runs) out.push_back(format_iso8601(r.scheduled_for));
        return out;
    }
};

TEST_F(JobSchedulerTest, RunsWhenDueAndPersistsProgress) {
    ASSERT_TRUE(scheduler.put(hourly("report", MissedRunPolicy::Skip)).ok());
    EXPECT_EQ(scheduler.job("report")->next_run, at("2025-01-01T01:00:00Z"));
    EXPECT_EQ(scheduler.next_wake(), at("2025-01-01T01:00:00Z"));
    clock.set(at("2025-01-01T00:59:59Z"));
    EXPECT_EQ(scheduler.tick(), 0u);
    clock.set(at("2025-01-01T01:00:10Z"));
    EXPECT_EQ(scheduler.tick(), 1u);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_FALSE(runs[0].catch_up);
    EXPECT_EQ(runs[0].scheduled_for, at("2025-01-01T01:00:00Z"));
    EXPECT_EQ(scheduler.tick(), 0u);  // not twice
    auto saved = store.find("report");
    ASSERT_TRUE(saved);
    EXPECT_EQ(saved->last_run, at("2025-01-01T01:00:00Z"));
    EXPECT_EQ(saved->next_run, at("2025-01-01T02:00:00Z"));
}

TEST_F(JobSchedulerTest, MissedSkipReschedulesFromNow) {
    stored_hourly(MissedRunPolicy::Skip);
    clock.set(at("2025-01-01T05:30:00Z"));
    ASSERT_TRUE(scheduler.load().ok());
    EXPECT_EQ(scheduler.tick(), 0u);
    EXPECT_EQ(scheduler.job("backup")->next_run, at("2025-01-01T06:00:00Z"));
    EXPECT_EQ(store.find("backup")->next_run, at("2025-01-01T06:00:00Z"));
}

TEST_F(JobSchedulerTest, MissedSkipStillRunsTheOnTimeOccurrence) {
    stored_hourly(MissedRunPolicy::Skip);
    clock.set(at("2025-01-01T05:00:30Z"));  // 05:00 is within the 60 s grace
    ASSERT_TRUE(scheduler.load().ok());
    EXPECT_EQ(scheduler.tick(), 1u);
    EXPECT_EQ(run_times(), std::vector<std::string>{"2025-01-01T05:00:00Z"});
    EXPECT_FALSE(runs[0].catch_up);
}

TEST_F(JobSchedulerTest, MissedRunOnceCatchesUpOnce) {
    stored_hourly(MissedRunPolicy::RunOnce);
    clock.set(at("2025-01-01T05:30:00Z"));
    ASSERT_TRUE(scheduler.load().ok());
    EXPECT_EQ(scheduler.tick(), 1u);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_TRUE(runs[0].catch_up);
    EXPECT_EQ(scheduler.job("backup")->next_run, at("2025-01-01T06:00:00Z"));
    EXPECT_EQ(scheduler.tick(), 0u);
}

TEST_F(JobSchedulerTest, MissedRunAllRunsEachInOrder) {
    stored_hourly(MissedRunPolicy::RunAll);
    clock.set(at("2025-01-01T05:30:00Z"));
    ASSERT_TRUE(scheduler.load().ok());
    EXPECT_EQ(scheduler.tick(), 5u);
    EXPECT_EQ(run_times(), (std::vector<std::string>{"2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z",
                                                     "2025-01-01T03:00:00Z", "2025-01-01T04:00:00Z",
                                                     "2025-01-01T05:00:00Z"}));
    for (const auto& r : runs) EXPECT_TRUE(r.catch_up);
    EXPECT_EQ(store.find("backup")->last_run, at("2025-01-01T05:00:00Z"));
}

TEST_F(JobSchedulerTest, MissedRunAllIsCapped) {
    stored_hourly(MissedRunPolicy::RunAll);
    clock.set(at("2025-01-03T00:30:00Z"));  // 48 occurrences missed
    ASSERT_TRUE(scheduler.load().ok());
    EXPECT_EQ(scheduler.tick(), 10u);
    EXPECT_EQ(runs.front().scheduled_for, at("2025-01-01T01:00:00Z"));
    EXPECT_EQ(scheduler.job("backup")->next_run, at("2025-01-03T01:00:00Z"));
}

TEST_F(JobSchedulerTest, PauseWhileRunningIsJudgedLikeStartUp) {
    ASSERT_TRUE(scheduler.put(hourly("sync", MissedRunPolicy::RunOnce)).ok());
    clock.set(at("2025-01-01T03:10:00Z"));  // machine slept through 01:00-03:00
    EXPECT_EQ(scheduler.tick(), 1u);
    EXPECT_TRUE(runs[0].catch_up);
}

TEST(Jitter, BoundedStableAndSpread) {
    std::set<int64_t> distinct;
    for (int i = 0; i < 200; ++i) {
        std::string id = "job-" + std::to_string(i);
        auto offset = jitter_offset(id, seconds(300));
        EXPECT_GE(offset.count(), 0);
        EXPECT_LE(offset.count(), 300);
        EXPECT_EQ(offset, jitter_offset(id, seconds(300)));
        distinct.insert(offset.count());
    }
    EXPECT_GT(distinct.size(), 100u);  // 200 jobs over 301 seconds: not a herd
    EXPECT_EQ(jitter_offset("anything", seconds(0)).count(), 0);
    EXPECT_LE(jitter_offset("x", seconds(1)).count(), 1);
}

TEST_F(JobSchedulerTest, JitterDelaysTheRunByTheJobsOffset) {
    std::string id = "jittered";
    for (int i = 0; jitter_offset(id, seconds(600)).count() == 0; ++i) id = "jittered-" + std::to_string(i);
    const auto offset = jitter_offset(id, seconds(600));
    Job job = hourly(id.c_str(), MissedRunPolicy::Skip);
    job.jitter = seconds(600);
    ASSERT_TRUE(scheduler.put(job).ok());
    const Instant nominal = *scheduler.job(id)->next_run;
    EXPECT_EQ(scheduler.next_wake(), nominal + offset);
    clock.set(nominal + offset - seconds(1));
    EXPECT_EQ(scheduler.tick(), 0u);
    clock.set(nominal + offset);
    EXPECT_EQ(scheduler.tick(), 1u);
    EXPECT_EQ(runs[0].scheduled_for, nominal);
}

TEST_F(JobSchedulerTest, DisabledJobsDoNotRunAndReenablingDoesNotCatchUp) {
    ASSERT_TRUE(scheduler.put(hourly("quiet", MissedRunPolicy::RunAll)).ok());
    ASSERT_TRUE(scheduler.set_enabled("quiet", false).ok());
    clock.set(at("2025-01-01T04:30:00Z"));
    EXPECT_EQ(scheduler.tick(), 0u);
    EXPECT_FALSE(scheduler.next_wake());
    ASSERT_TRUE(scheduler.set_enabled("quiet", true).ok());
    EXPECT_EQ(scheduler.tick(), 0u);
    EXPECT_EQ(scheduler.job("quiet")->next_run, at("2025-01-01T05:00:00Z"));
    EXPECT_FALSE(scheduler.set_enabled("nope", true).ok());
}

TEST_F(JobSchedulerTest, AtJobRunsOnceThenHasNoNextRun) {
    Job job;
    job.id = "once";
    job.schedule = ScheduleSpec{"at", "2025-01-01T00:10:00Z", "", ""};
    ASSERT_TRUE(scheduler.put(job).ok());
    clock.set(at("2025-01-01T00:10:00Z"));
    EXPECT_EQ(scheduler.tick(), 1u);
    EXPECT_FALSE(scheduler.job("once")->next_run);
    clock.set(at("2025-01-02T00:00:00Z"));
    EXPECT_EQ(scheduler.tick(), 0u);
}

TEST_F(JobSchedulerTest, RejectsBadSchedulesWithTheirError) {
    Job job = hourly("bad", MissedRunPolicy::Skip);
    job.schedule = ScheduleSpec{"cron", "0 25 * * *", "UTC", ""};
    auto st = scheduler.put(job);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().message, "cron field 2 (hour): 25 out of range 0-23");
    job.schedule = ScheduleSpec{"cron", "@daily", "Europe/../../etc/passwd", ""};
    EXPECT_EQ(scheduler.put(job).error().code, "tz.invalid_name");
    EXPECT_FALSE(store.find("bad"));
}

TEST_F(JobSchedulerTest, LoadReportsJobsThatNoLongerParse) {
    Job broken = hourly("broken", MissedRunPolicy::Skip);
    broken.schedule = ScheduleSpec{"cron", "99 * * * *", "UTC", ""};
    ASSERT_TRUE(store.upsert(broken).ok());
    ASSERT_TRUE(store.upsert(hourly("fine", MissedRunPolicy::Skip)).ok());
    auto st = scheduler.load();
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().details["jobs"][0]["id"], "broken");
    EXPECT_TRUE(scheduler.job("fine"));
    EXPECT_FALSE(scheduler.job("broken"));
}

TEST_F(JobSchedulerTest, CronJobInZoneUsesWallClock) {
    Job job = hourly("morning", MissedRunPolicy::Skip);
    job.schedule = ScheduleSpec{"cron", "0 9 * * *", "Europe/Berlin", ""};
    ASSERT_TRUE(scheduler.put(job).ok());
    EXPECT_EQ(scheduler.job("morning")->next_run, at("2025-01-01T08:00:00Z"));
}

TEST(JobSchedulerCallback, RunnerMayCallBackIntoScheduler) {
    ManualClock clock{at("2025-01-01T00:00:00Z")};
    MemoryJobStore store;
    JobScheduler* self = nullptr;
    int runs = 0;
    JobScheduler scheduler(store, clock, [&](const JobRun& run) {
        ++runs;
        EXPECT_TRUE(self->remove(run.job.id).ok());  // no deadlock: called outside the lock
    });
    self = &scheduler;
    Job job;
    job.id = "self-removing";
    job.schedule = ScheduleSpec{"every", "1m", "", ""};
    ASSERT_TRUE(scheduler.put(job).ok());
    clock.set(at("2025-01-01T00:01:00Z"));
    EXPECT_EQ(scheduler.tick(), 1u);
    EXPECT_EQ(runs, 1);
    EXPECT_FALSE(scheduler.job("self-removing"));
    EXPECT_FALSE(store.find("self-removing"));
}

}  // namespace
}  // namespace cowork::kernel::scheduler
