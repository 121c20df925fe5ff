// Small pieces: lifecycle edges, output caps, journal replay.
#include "agent/output_cap.hpp"
#include "agent/task_history.hpp"
#include "agent/task_state.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::agent {
namespace {

TEST(TaskStateMachine, LegalAndIllegalTransitions) {
    using S = TaskState;
    EXPECT_TRUE(can_transition(S::pending, S::queued));
    EXPECT_TRUE(can_transition(S::executing, S::paused));
    EXPECT_TRUE(can_transition(S::paused, S::executing));
    EXPECT_TRUE(can_transition(S::blocked, S::cancelled));
    EXPECT_TRUE(can_transition(S::interrupted, S::queued));
    EXPECT_FALSE(can_transition(S::completed, S::queued));
    EXPECT_FALSE(can_transition(S::queued, S::completed));
    EXPECT_FALSE(can_transition(S::pending, S::executing));
    EXPECT_FALSE(can_transition(S::cancelled, S::failed));
    EXPECT_EQ(check_transition(S::failed, S::queued).error().code, "task.bad_transition");
    for (auto s : {S::pending, S::queued, S::planning, S::executing, S::paused, S::blocked, S::completed, S::failed,
                   S::cancelled, S::interrupted})
        EXPECT_EQ(parse_task_state(to_string(s)), s);
}

TEST(OutputCap, KeepsHeadAndTailWithinTheCapWithoutSplittingUtf8) {
    EXPECT_EQ(cap_output("short", 100), "short");
    std::string text = "BEGIN";
    for (int i = 0; i < 2000; ++i) text += "é";  // two bytes each
    text += "END";
    const std::string capped = cap_output(text, 1000);
    EXPECT_LE(capped.size(), 1000u);
    EXPECT_EQ(capped.substr(0, 5), "BEGIN");
    EXPECT_EQ(capped.substr(capped.size() - 3), "END");
    EXPECT_NE(capped.find("bytes omitted"), std::string::npos);
    const auto marker = capped.find("\n[…");
    EXPECT_NE(static_cast<unsigned char>(capped[marker - 1]), 0xC3) << "no dangling UTF-8 lead byte";
}

TEST(TaskHistoryReplay, CompactionAndUsageAreReplayed) {
    auto ev = [](std::string type, Json payload) {
        storage::TaskEvent e;
        e.type = std::move(type);
        e.payload = std::move(payload);
        return e;
    };
    const std::vector<storage::TaskEvent> events{
        ev("user.message", {{"text", "goal"}}),
        ev("llm.call", {{"usage", {{"inputTokens", 100}, {"outputTokens", 10}}}, {"costUsd", 0.5}, {"purpose", "turn"}}),
        ev("assistant.message", {{"message", {{"role", "assistant"}, {"content", Json::array({{{"type", "text"}, {"text", "hm"}}})}}}}),
        ev("user.message", {{"text", "more"}}),
        ev("llm.call", {{"usage", {{"inputTokens", 50}, {"outputTokens", 5}}}, {"purpose", "compaction"}}),
        ev("context.compacted", {{"summary", "S"}}),
        ev("llm.call", {{"error", {{"code", "cancelled"}}}}),
        ev("plan.updated", {{"plan", {{"steps", Json::array()}}}}),
    };
    const auto h = rebuild_history(events);
    ASSERT_EQ(h.conversation.size(), 3u);
    EXPECT_EQ(h.conversation.messages()[0]["content"][0]["text"], "goal");
    EXPECT_EQ(h.usage.iterations, 1);
    EXPECT_EQ(h.usage.tokens(), 165);
    EXPECT_DOUBLE_EQ(h.usage.cost_usd, 0.5);
    EXPECT_TRUE(h.plan.is_object());
}

}  // namespace
}  // namespace cowork::kernel::agent
