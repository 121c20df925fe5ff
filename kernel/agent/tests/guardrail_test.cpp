// Budgets, loop detection, the no-progress breaker and compaction.
#include "fakes.hpp"

namespace cowork::kernel::agent::testing {
namespace {

std::string guardrail_kinds(Harness& h, const std::string& id) {
    std::string kinds;
    for (const auto& e : h.events(id))
        if (e.type == "guardrail") kinds += e.payload.value("kind", "") + ";";
    return kinds;
}

TEST(Guardrails, TokenBudgetStopsTheTaskFailedWithTheReason) {
    Harness h;
    for (int i = 0; i < 5; ++i)
        h.llm.turns.push_back(tool_turn({tool_call("c" + std::to_string(i), "tool.fake.echo", {{"path", std::to_string(i)}})}, 400, 200));
    const auto id = h.create("spend", {{"maxTokens", 1000}});
    ASSERT_EQ(h.wait_end(id), TaskState::failed);
    EXPECT_EQ(h.llm.requests().size(), 2u) << "600 tokens after one call, 1200 after two: no third call";
    EXPECT_NE(h.task(id).error.value_or("").find("token budget spent"), std::string::npos);
    EXPECT_EQ(guardrail_kinds(h, id), "budget;");
}

TEST(Guardrails, IterationBudgetCapsLlmTurns) {
    Harness h;
    for (int i = 0; i < 5; ++i)
        h.llm.turns.push_back(tool_turn({tool_call("c" + std::to_string(i), "tool.fake.echo", {{"path", std::to_string(i)}})}));
    const auto id = h.create("loop a bit", {{"maxIterations", 3}});
    ASSERT_EQ(h.wait_end(id), TaskState::failed);
    EXPECT_EQ(h.llm.requests().size(), 3u);
    EXPECT_NE(h.task(id).error.value_or("").find("iteration budget"), std::string::npos);
}

TEST(Guardrails, RequestedBudgetCannotExceedTheConfiguredOne) {
    EXPECT_EQ(Budget{}.narrowed_by({{"maxIterations", 1000000}}).max_iterations, Budget{}.max_iterations);
    EXPECT_EQ(Budget{}.narrowed_by({{"maxIterations", 2}}).max_iterations, 2);
}

TEST(Guardrails, RepeatedIdenticalCallsWarnOnceThenFail) {
    Harness h;  // warn at the 3rd identical call, stop at the 5th
    for (int i = 0; i < 6; ++i)
        h.llm.turns.push_back(tool_turn({tool_call("c" + std::to_string(i), "tool.fake.echo", {{"path", "same"}})}));
    const auto id = h.create("loop");
    ASSERT_EQ(h.wait_end(id), TaskState::failed);
    EXPECT_EQ(guardrail_kinds(h, id), "loop_warning;loop;");
    EXPECT_NE(h.task(id).error.value_or("").find("loop detected"), std::string::npos);
    const Json warned = h.llm.requests()[3]["messages"].back()["content"][0];
    EXPECT_NE(warned["content"].get<std::string>().find("repeating it again stops the task"), std::string::npos);
    EXPECT_EQ(h.tools.calls().size(), 3u) << "the warned call and the stopping call did not run";
}

TEST(Guardrails, NoProgressBreakerTripsOnErrorOnlyTurns) {
    Harness h;  // 4 turns of only errors
    for (int i = 0; i < 6; ++i)
        h.llm.turns.push_back(tool_turn({tool_call("c" + std::to_string(i), "tool.fake.fail", {{"path", std::to_string(i)}})}));
    const auto id = h.create("flail");
    ASSERT_EQ(h.wait_end(id), TaskState::failed);
    EXPECT_EQ(h.llm.requests().size(), 4u);
    EXPECT_NE(h.task(id).error.value_or("").find("no progress"), std::string::npos);
}

TEST(Guardrails, CompactionSummarisesNearTheWindowAndKeepsTheFirstMessage) {
    Harness h;
    h.llm.context_window = 3000;  // tokens; the threshold is 85%
    const std::string big(3000, 'x');
    h.llm.turns = {tool_turn({tool_call("c1", "tool.fake.echo", {{"path", big}})}),
                   tool_turn({tool_call("c2", "tool.fake.echo", {{"path", big + "y"}})}),
                   text_turn("SUMMARY: echoed two big paths"),
                   text_turn("finished")};
    const auto id = h.create("the original request");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    const auto requests = h.llm.requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(requests[2].value("stream", true), false) << "the third call is the summary call";
    EXPECT_TRUE(!requests[2].contains("tools"));
    const Json after = requests[3]["messages"];
    ASSERT_EQ(after.size(), 3u);
    EXPECT_EQ(after[0]["content"][0]["text"], "the original request");
    EXPECT_NE(after[1]["content"][0]["text"].get<std::string>().find("SUMMARY: echoed two big paths"), std::string::npos);
    bool journaled = false;
    for (const auto& e : h.events(id)) journaled = journaled || e.type == "context.compacted";
    EXPECT_TRUE(journaled);
    EXPECT_EQ(h.task(id).result["usage"]["iterations"], 3) << "the summary call is not a turn";
}

TEST(Guardrails, LargeToolOutputIsCappedHeadAndTail) {
    Harness h;  // the registry caps at 4096 bytes
    const std::string big = "HEAD" + std::string(10000, 'm') + "TAIL";
    h.llm.turns = {tool_turn({tool_call("c1", "tool.fake.echo", {{"path", big}})}), text_turn("ok")};
    const auto id = h.create("big output");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    const std::string seen = h.llm.requests()[1]["messages"].back()["content"][0]["content"];
    EXPECT_LE(seen.size(), 4096u);
    EXPECT_EQ(seen.substr(0, 12), R"({"path":"HEA)");
    EXPECT_NE(seen.find("TAIL"), std::string::npos);
    EXPECT_NE(seen.find("bytes omitted"), std::string::npos);
}

}  // namespace
}  // namespace cowork::kernel::agent::testing
