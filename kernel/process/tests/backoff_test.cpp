#include "plugins/backoff.hpp"

#include <gtest/gtest.h>

using namespace cowork::kernel::plugins;  // BackoffPolicy lives with the plugin manager
using namespace std::chrono_literals;
using Clock = BackoffPolicy::Clock;

namespace {
BackoffPolicy::Options no_jitter() {
    BackoffPolicy::Options o;
    o.jitter = 0;
    o.max_restarts = 100;
    return o;
}
}  // namespace

TEST(ProcessBackoff, GrowsExponentiallyUpToTheCap) {
    BackoffPolicy policy(no_jitter());
    const auto t = Clock::now();
    std::vector<int64_t> delays;
    for (int i = 0; i < 9; ++i) delays.push_back(policy.on_failure(t + std::chrono::seconds(i))->count());
    EXPECT_EQ(delays, (std::vector<int64_t>{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000}));
}

TEST(ProcessBackoff, GivesUpAfterTooManyFailuresInTheWindow) {
    BackoffPolicy::Options o = no_jitter();
    o.max_restarts = 3;
    o.window = 60s;
    BackoffPolicy policy(o);
    const auto t = Clock::now();
    EXPECT_TRUE(policy.on_failure(t));
    EXPECT_TRUE(policy.on_failure(t + 1s));
    EXPECT_TRUE(policy.on_failure(t + 2s));
    EXPECT_FALSE(policy.on_failure(t + 3s));
}

TEST(ProcessBackoff, OldFailuresLeaveTheWindow) {
    BackoffPolicy::Options o = no_jitter();
    o.max_restarts = 2;
    o.window = 10s;
    BackoffPolicy policy(o);
    const auto t = Clock::now();
    EXPECT_EQ(policy.on_failure(t)->count(), 500);
    EXPECT_EQ(policy.on_failure(t + 1s)->count(), 1000);
    // 30 s later both have aged out: back to the first delay.
    EXPECT_EQ(policy.on_failure(t + 31s)->count(), 500);
}

TEST(ProcessBackoff, ResetForgetsHistory) {
    BackoffPolicy policy(no_jitter());
    const auto t = Clock::now();
    policy.on_failure(t);
    policy.on_failure(t);
    policy.reset();
    EXPECT_EQ(policy.on_failure(t)->count(), 500);
}

TEST(ProcessBackoff, JitterStaysWithinItsBandAndVaries) {
    BackoffPolicy::Options o;
    o.jitter = 0.2;
    o.max_restarts = 1000;
    o.window = 1ms;  // every failure is the "first" one: base delay 500 ms
    BackoffPolicy policy(o, 42);
    auto t = Clock::now();
    std::set<int64_t> seen;
    for (int i = 0; i < 50; ++i) {
        t += 1s;
        const int64_t d = policy.on_failure(t)->count();
        EXPECT_GE(d, 400);
        EXPECT_LE(d, 600);
        seen.insert(d);
    }
    EXPECT_GT(seen.size(), 10u);
}
