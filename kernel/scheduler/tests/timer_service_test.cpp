// TimerService, its C table (cowork.scheduler/1) and the job-scheduler driver.
// Real time, short delays; assertions wait for outcomes, never for speed.
#include "scheduler/job_scheduler_driver.hpp"
#include "scheduler/memory_job_store.hpp"
#include "scheduler/scheduler_service.hpp"
#include "scheduler/timer_service.hpp"
#include "test_time.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace cowork::kernel::scheduler {
namespace {

using namespace std::chrono_literals;
using test::wait_for;

class TimerTest : public ::testing::Test {
protected:
    asio::thread_pool pool{2};
    TimerService timers{pool.get_executor()};
};

TEST_F(TimerTest, OneShotFiresOnce) {
    std::atomic<int> calls{0};
    TimerId id = timers.add(5ms, 0ms, [&] { ++calls; });
    EXPECT_GT(id, 0u);
    ASSERT_TRUE(wait_for([&] { return calls.load() == 1; }));
    std::this_thread::sleep_for(30ms);
    EXPECT_EQ(calls.load(), 1);
    EXPECT_FALSE(timers.active(id));
    EXPECT_FALSE(timers.cancel(id));  // already fired
}

TEST_F(TimerTest, PeriodicRepeatsUntilCancelled) {
    std::atomic<int> calls{0};
    TimerId id = timers.add(1ms, 5ms, [&] { ++calls; });
    ASSERT_TRUE(wait_for([&] { return calls.load() >= 3; }));
    EXPECT_TRUE(timers.cancel(id));
    int after_cancel = calls.load();
    std::this_thread::sleep_for(40ms);
    EXPECT_EQ(calls.load(), after_cancel);
    EXPECT_EQ(timers.active_count(), 0u);
}

TEST_F(TimerTest, CancelBeforeFiringMeansNeverFires) {
    std::atomic<int> calls{0};
    TimerId id = timers.add(200ms, 0ms, [&] { ++calls; });
    EXPECT_TRUE(timers.active(id));
    EXPECT_TRUE(timers.cancel(id));
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(calls.load(), 0);
}

TEST_F(TimerTest, CancelWaitsForARunningCallback) {
    std::atomic<bool> entered{false}, finished{false};
    TimerId id = timers.add(0ms, 0ms, [&] {
        entered = true;
        std::this_thread::sleep_for(100ms);
        finished = true;
    });
    ASSERT_TRUE(wait_for([&] { return entered.load(); }));
    timers.cancel(id);
    EXPECT_TRUE(finished.load());
}

TEST_F(TimerTest, CancelFromInsideItsOwnCallback) {
    std::atomic<int> calls{0};
    std::atomic<TimerId> id{0};
    id = timers.add(1ms, 2ms, [&] {
        while (id.load() == 0) std::this_thread::yield();
        ++calls;
        timers.cancel(id);
    });
    ASSERT_TRUE(wait_for([&] { return calls.load() >= 1; }));
    std::this_thread::sleep_for(30ms);
    EXPECT_EQ(calls.load(), 1);
}

struct Counter {
    std::atomic<int> calls{0};
};
void count_call(void* user) { ++static_cast<Counter*>(user)->calls; }

TEST_F(TimerTest, CTableOwnershipAndDropOwner) {
    SchedulerService service(timers);
    auto* a = service.table_for("p.a");
    auto* b = service.table_for("p.b");
    ASSERT_EQ(a->struct_size, sizeof(cowork_scheduler_v1));
    EXPECT_EQ(a, service.table_for("p.a"));
    Counter ca, cb;
    uint64_t periodic = a->add_timer(a->ctx, 1, 5, &count_call, &ca);
    ASSERT_GT(periodic, 0u);
    ASSERT_GT(a->add_timer(a->ctx, 60000, 0, &count_call, &ca), 0u);
    uint64_t other = b->add_timer(b->ctx, 1, 0, &count_call, &cb);
    ASSERT_GT(other, 0u);
    EXPECT_EQ(a->add_timer(a->ctx, 1, 0, nullptr, &ca), 0u);
    b->cancel(b->ctx, periodic);  // not b's: ignored
    ASSERT_TRUE(wait_for([&] { return ca.calls.load() >= 2 && cb.calls.load() == 1; }));
    EXPECT_EQ(service.timer_count("p.a"), 2u);
    service.drop_owner("p.a");
    EXPECT_EQ(service.timer_count("p.a"), 0u);
    int after = ca.calls.load();
    std::this_thread::sleep_for(30ms);
    EXPECT_EQ(ca.calls.load(), after);
}

TEST_F(TimerTest, DriverTicksTheJobScheduler) {
    ManualClock clock{test::at("2025-01-01T00:00:00Z")};
    MemoryJobStore store;
    std::atomic<int> runs{0};
    JobScheduler jobs(store, clock, [&](const JobRun&) { ++runs; });
    Job job;
    job.id = "minutely";
    job.schedule = ScheduleSpec{"every", "1m", "", ""};
    ASSERT_TRUE(jobs.put(job).ok());
    JobSchedulerDriver driver(jobs, timers, clock, std::chrono::seconds(1));
    driver.start();
    clock.set(test::at("2025-01-01T00:01:00Z"));  // the driver notices within max_sleep
    ASSERT_TRUE(wait_for([&] { return runs.load() == 1; }));
    driver.stop();
    clock.set(test::at("2025-01-01T00:02:00Z"));
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(runs.load(), 1);
}

}  // namespace
}  // namespace cowork::kernel::scheduler
