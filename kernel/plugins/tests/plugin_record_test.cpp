#include "plugins/plugin_record.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::plugins {
namespace {

PluginRecord fresh() { return PluginRecord(Candidate{"tool.x", {"extra", "/r"}, "/r/tool.x"}); }

TEST(PluginRecord, HappyPathInOrder) {
    auto r = fresh();
    for (State s : {State::Read, State::Resolved, State::Loaded, State::Initialized, State::Running, State::Stopping,
                    State::Stopped})
        ASSERT_TRUE(r.advance(s)) << to_string(s);
    EXPECT_EQ(r.state(), State::Stopped);
}

TEST(PluginRecord, SkippingAStateIsRefusedAndLeavesTheState) {
    auto r = fresh();
    auto st = r.advance(State::Loaded);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().message, "tool.x: illegal transition Discovered → Loaded");
    EXPECT_EQ(r.state(), State::Discovered);
}

TEST(PluginRecord, FailureStoresPhaseAndReasonAndIsFinal) {
    auto r = fresh();
    ASSERT_TRUE(r.advance(State::Read));
    ASSERT_TRUE(r.fail("resolve", "cycle"));
    EXPECT_EQ(r.state(), State::Failed);
    EXPECT_EQ(r.phase(), "resolve");
    EXPECT_EQ(r.reason(), "cycle");
    EXPECT_FALSE(r.advance(State::Resolved));
    EXPECT_FALSE(r.disable("later"));
    EXPECT_EQ(r.reason(), "cycle") << "a refused transition must not overwrite the error";
}

TEST(PluginRecord, RunningPluginsCannotBeDisabledOnlyFailed) {
    auto r = fresh();
    for (State s : {State::Read, State::Resolved, State::Loaded, State::Initialized, State::Running})
        ASSERT_TRUE(r.advance(s));
    EXPECT_FALSE(r.disable("config changed"));
    EXPECT_TRUE(r.fail("run", "host process crashed"));
}

// A crash report and then the error of the call it interrupted both fail
// the record; the first is the cause and must survive.
TEST(PluginRecord, FailingAFailedRecordKeepsTheFirstCause) {
    auto r = fresh();
    ASSERT_TRUE(r.advance(State::Read));
    ASSERT_TRUE(r.fail("start", "plugin host crashed (signal 11 SIGSEGV)"));
    EXPECT_TRUE(r.fail("start", "call failed: link closed")) << "not an illegal transition";
    EXPECT_EQ(r.phase(), "start");
    EXPECT_EQ(r.reason(), "plugin host crashed (signal 11 SIGSEGV)");
}

TEST(PluginRecord, ReplaceFailureIsTheFinalVerdict) {
    auto r = fresh();
    ASSERT_TRUE(r.advance(State::Read));
    ASSERT_TRUE(r.fail("start", "crashed"));
    ASSERT_TRUE(r.replace_failure("run", "gave up after 5 restarts in 10 minutes: crashed"));
    EXPECT_EQ(r.state(), State::Failed);
    EXPECT_EQ(r.phase(), "run");
    EXPECT_EQ(r.reason(), "gave up after 5 restarts in 10 minutes: crashed");
}

TEST(PluginRecord, OnlyAFailedRecordReopensForARestart) {
    auto r = fresh();
    EXPECT_FALSE(r.reopen());
    EXPECT_EQ(r.state(), State::Discovered);
    for (State s : {State::Read, State::Resolved, State::Loaded, State::Initialized, State::Running})
        ASSERT_TRUE(r.advance(s));
    ASSERT_TRUE(r.fail("run", "crashed"));
    ASSERT_TRUE(r.reopen());
    EXPECT_EQ(r.state(), State::Loaded);
    EXPECT_EQ(r.reason(), "");
    EXPECT_TRUE(r.advance(State::Initialized));
    EXPECT_TRUE(r.advance(State::Running));
}

TEST(PluginRecord, NeverStartedPluginsMayStopDirectly) {
    EXPECT_TRUE(is_legal(State::Initialized, State::Stopped));
    EXPECT_FALSE(is_legal(State::Resolved, State::Stopped));
    EXPECT_FALSE(is_legal(State::Stopped, State::Running));
}

}  // namespace
}  // namespace cowork::kernel::plugins
