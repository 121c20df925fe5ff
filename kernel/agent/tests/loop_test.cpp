// The agent loop end to end against a scripted model and fake tools.
#include "fakes.hpp"

#include <algorithm>
#include <atomic>

namespace cowork::kernel::agent::testing {
namespace {

int count(const std::vector<std::string>& v, const std::string& x) { return static_cast<int>(std::count(v.begin(), v.end(), x)); }

Json last_tool_results(const Json& request) {
    const Json& msgs = request["messages"];
    return msgs.back().value("role", "") == "tool" ? msgs.back()["content"] : Json::array();
}

TEST(AgentLoop, MultiTurnToolUseEndsCompletedWithHistoryJournaled) {
    Harness h;
    h.llm.turns = {tool_turn({tool_call("c1", "tool.fake.echo", {{"path", "a.txt"}})}),
                   tool_turn({tool_call("c2", "tool.fake.touch", {{"path", "b.txt"}})}),
                   text_turn("All done: a.txt read, b.txt touched.")};
    const auto id = h.create("do the thing");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    const auto t = h.task(id);
    EXPECT_EQ(t.result.value("text", ""), "All done: a.txt read, b.txt touched.");
    EXPECT_EQ(t.result["usage"]["iterations"], 3);
    EXPECT_EQ(t.result["usage"]["inputTokens"], 30);
    const auto requests = h.llm.requests();
    ASSERT_EQ(requests.size(), 3u);
    // The model sees its own tool call answered in the next request.
    EXPECT_EQ(last_tool_results(requests[1])[0]["toolCallId"], "c1");
    EXPECT_EQ(last_tool_results(requests[1])[0]["content"], R"({"path":"a.txt"})");
    EXPECT_EQ(last_tool_results(requests[2])[0]["content"], "touch b.txt ok");
    // Tools offered: built-ins plus the plugin's, namespaced.
    bool has_echo = false, has_plan = false;
    for (const auto& t : requests[0]["tools"]) {
        has_echo = has_echo || t["name"] == "tool.fake.echo";
        has_plan = has_plan || t["name"] == "cowork.plan";
    }
    EXPECT_TRUE(has_echo && has_plan);
    const auto types = h.event_types(id);
    EXPECT_EQ(types.front(), "task.created");
    EXPECT_EQ(count(types, "llm.call"), 3);
    EXPECT_EQ(count(types, "tool.call"), 2);
    EXPECT_EQ(count(types, "tool.result"), 2);
    EXPECT_EQ(count(types, "task.completed"), 1);
    // Streamed text is coalesced: far fewer rows than the 12 three-byte deltas.
    EXPECT_GE(count(types, "llm.delta"), 1);
    EXPECT_LE(count(types, "llm.delta"), 2);
    // Every state change is journaled, in lifecycle order.
    std::vector<std::string> states;
    for (const auto& e : h.events(id))
        if (e.type == "task.state") states.push_back(e.payload["to"]);
    EXPECT_EQ(states, (std::vector<std::string>{"queued", "planning", "executing", "completed"}));
}

TEST(AgentLoop, ReadOnlyCallsRunInParallelAndResultsKeepTheModelsOrder) {
    Harness h;
    h.llm.turns = {tool_turn({tool_call("r1", "tool.fake.read", {{"path", "one"}}),
                              tool_call("r2", "tool.fake.read", {{"path", "two"}})}),
                   text_turn("read both")};
    const auto id = h.create("read two files");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    EXPECT_EQ(h.tools.max_concurrent(), 2) << "both reads were in flight together";
    const Json results = last_tool_results(h.llm.requests()[1]);
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0]["toolCallId"], "r1");
    EXPECT_EQ(results[0]["content"], "read one ok");
    EXPECT_EQ(results[1]["toolCallId"], "r2");
}

TEST(AgentLoop, SideEffectingCallsRunOneAtATimeInOrder) {
    Harness h;
    h.llm.turns = {tool_turn({tool_call("t1", "tool.fake.touch", {{"path", "1"}}),
                              tool_call("t2", "tool.fake.touch", {{"path", "2"}}),
                              tool_call("t3", "tool.fake.touch", {{"path", "3"}})}),
                   text_turn("touched")};
    const auto id = h.create("touch three");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    EXPECT_EQ(h.tools.max_concurrent(), 1);
    EXPECT_EQ(h.tools.calls(), (std::vector<std::string>{"touch:1", "touch:2", "touch:3"}));
}

TEST(AgentLoop, UnknownToolAndBadArgumentsAreToolErrorsTheModelSees) {
    Harness h;
    h.llm.turns = {tool_turn({tool_call("x1", "tool.fake.nope"), tool_call("x2", "tool.fake.echo", {{"path", 5}})}),
                   text_turn("ok")};
    const auto id = h.create("misuse tools");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    const Json results = last_tool_results(h.llm.requests()[1]);
    EXPECT_TRUE(results[0]["isError"].get<bool>());
    EXPECT_NE(results[0]["content"].get<std::string>().find("no tool named"), std::string::npos);
    EXPECT_TRUE(results[1]["isError"].get<bool>());
    EXPECT_NE(results[1]["content"].get<std::string>().find("schema"), std::string::npos);
    EXPECT_TRUE(h.tools.calls().empty());
}

TEST(AgentLoop, ArgumentsThatWereNotJsonAreNotRunAndTheModelIsTold) {
    Harness h;
    Json bad = tool_call("b1", "tool.fake.touch");
    bad["argumentsError"] = "the arguments are not valid JSON: {\"path\": b.txt";
    h.llm.turns = {tool_turn({bad}), tool_turn({tool_call("b2", "tool.fake.touch", {{"path", "b.txt"}})}),
                   text_turn("touched on the second try")};
    const auto id = h.create("touch b.txt");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    const auto requests = h.llm.requests();
    ASSERT_EQ(requests.size(), 3u);
    const Json results = last_tool_results(requests[1]);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0]["toolCallId"], "b1");
    EXPECT_TRUE(results[0]["isError"].get<bool>());
    const std::string text = results[0]["content"];
    EXPECT_NE(text.find("not valid JSON"), std::string::npos) << text;
    EXPECT_NE(text.find("{\"path\": b.txt"), std::string::npos) << text;  // the problem is quoted
    EXPECT_EQ(h.tools.calls(), (std::vector<std::string>{"touch:b.txt"})) << "only the corrected call ran";
    bool journaled = false;
    for (const auto& e : h.events(id))
        if (e.type == "tool.call" && e.payload.value("id", "") == "b1") journaled = e.payload.contains("argumentsError");
    EXPECT_TRUE(journaled);
}

TEST(AgentLoop, CancelDuringAnLlmCallCancelsTheCallAndEndsCancelled) {
    Harness h;
    h.llm.turns = {h.llm.blocking_turn()};
    const auto id = h.create("wait forever");
    ASSERT_TRUE(h.llm.wait_blocked());
    auto cancelled = h.runtime->cancel(id, "test");
    ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
    EXPECT_EQ(cancelled->status, "cancelled");
    ASSERT_EQ(h.llm.cancelled().size(), 1u);
    EXPECT_NE(h.llm.cancelled()[0].find(id), std::string::npos) << "the in-flight request was cancelled by its id";
    EXPECT_FALSE(h.runtime->cancel(id, "test").ok()) << "a finished task cannot be cancelled again";
}

TEST(AgentLoop, FollowUpMessageJoinsTheNextTurn) {
    Harness h;
    std::string task_id;
    // The follow-up arrives while the first tool turn runs.
    // The id comes from the request ("<task>-turn-1"): the worker may call the
    // model before create() has returned to this thread.
    h.llm.turns = {[&](const Json& request, const LlmClient::EventFn&) -> Result<Json> {
                       const std::string rid = request.value("requestId", "");
                       auto r = h.runtime->send_message(rid.substr(0, rid.find("-turn-")), "also check c.txt", "test");
                       EXPECT_TRUE(r.ok());
                       return tool_turn({tool_call("c1", "tool.fake.echo", {{"path", "a"}})})(Json(), {});
                   },
                   text_turn("checked a and c")};
    task_id = h.create("check a.txt");
    ASSERT_EQ(h.wait_end(task_id), TaskState::completed);
    const Json msgs = h.llm.requests()[1]["messages"];
    EXPECT_EQ(msgs.back()["role"], "user");
    EXPECT_EQ(msgs.back()["content"][0]["text"], "also check c.txt");
    EXPECT_EQ(msgs[msgs.size() - 2]["role"], "tool") << "after the tool results it was waiting for";
}

TEST(AgentLoop, RequestUserInputBlocksUntilAnswered) {
    Harness h;
    h.llm.turns = {tool_turn({tool_call("q1", "cowork.request_user_input", {{"question", "Which branch?"}})}),
                   text_turn("using main")};
    const auto id = h.create("deploy");
    ASSERT_EQ(h.wait_state(id, TaskState::blocked), TaskState::blocked);
    ASSERT_TRUE(h.runtime->send_message(id, "main", "test").ok());
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    const Json results = last_tool_results(h.llm.requests()[1]);
    EXPECT_EQ(results[0]["content"], "The user answered: main");
    EXPECT_FALSE(results[0]["isError"].get<bool>());
}

TEST(AgentLoop, PlanToolsRecordStepsInTheResult) {
    Harness h;
    h.llm.turns = {tool_turn({tool_call("p1", "cowork.plan", {{"steps", {{{"description", "look"}}, {{"description", "fix"}}}}})}),
                   tool_turn({tool_call("p2", "cowork.update_step", {{"step", 1}, {"status", "completed"}})}),
                   text_turn("done")};
    const auto id = h.create("plan it");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    const Json plan = h.task(id).result["plan"];
    ASSERT_EQ(plan["steps"].size(), 2u);
    EXPECT_EQ(plan["steps"][0]["status"], "completed");
    EXPECT_EQ(plan["steps"][1]["status"], "pending");
}

TEST(AgentLoop, QueueHonoursTheConcurrencyLimit) {
    Settings s = test_settings();
    s.max_concurrent_tasks = 1;
    Harness h(s);
    h.llm.turns = {h.llm.blocking_turn(), text_turn("second done")};
    const auto first = h.create("first");
    ASSERT_TRUE(h.llm.wait_blocked());
    const auto second = h.create("second");
    EXPECT_EQ(h.task(second).status, "queued") << "one worker, busy";
    ASSERT_TRUE(h.runtime->cancel(first, "test").ok());
    EXPECT_EQ(h.wait_end(second), TaskState::completed);
}

TEST(AgentLoop, NoProviderSaysHowToConfigureOne) {
    EXPECT_NE(no_provider_help().find("ANTHROPIC_API_KEY"), std::string::npos);
    EXPECT_NE(no_provider_help().find("OPENAI_BASE_URL"), std::string::npos);
    EXPECT_NE(no_provider_help().find("OLLAMA_HOST"), std::string::npos);
    EXPECT_NE(no_provider_help().find("GEMINI_API_KEY"), std::string::npos);
    EXPECT_NE(no_provider_help().find("[agent] default_provider"), std::string::npos);
}

TEST(AgentLoop, SkillsHookTextJoinsTheSystemPromptAndIsAskedOncePerRun) {
    Harness h;
    std::atomic<int> asked{0};
    h.runtime->set_skills_prompt([&](const TaskSpec& spec) {
        ++asked;
        return "Skills:\n- code-review: review " + spec.workspace;
    });
    h.llm.turns = {tool_turn({tool_call("c1", "tool.fake.echo", {{"x", 1}})}), text_turn("done")};
    const auto id = h.create("review it");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    const auto requests = h.llm.requests();
    ASSERT_EQ(requests.size(), 2u);
    for (const auto& r : requests)
        EXPECT_NE(r.value("system", "").find("- code-review: review " + std::filesystem::canonical(h.workspace).string()), std::string::npos);
    // Both turns got the identical system prompt (cacheable) from one call.
    EXPECT_EQ(requests[0]["system"], requests[1]["system"]);
    EXPECT_EQ(asked.load(), 1);
}

}  // namespace
}  // namespace cowork::kernel::agent::testing
