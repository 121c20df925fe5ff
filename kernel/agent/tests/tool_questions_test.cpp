// A running tool asks the agent task that called it (tool.request through
// ToolRegistry::running()): sampling is answered by the task's own model and
// journaled as an llm.call; elicitation blocks the task until its person
// answers with a message, which is then consumed, not replayed on resume.
#include "agent/elicitation_answer.hpp"
#include "fakes.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::agent::testing {
namespace {

// The fake `ask` tool puts {kind, params} from its arguments to its caller.
void ask_through_the_registry(Harness& h) {
    h.tools.ask = [&h](const Json& request) -> Json {
        const Json args = request.value("arguments", Json::object());
        ToolQuestion q{args.value("kind", ""), args.value("params", Json::object()), std::chrono::seconds(5)};
        auto answer = h.registry->running().ask("tool.fake", request.value("callId", ""), q);
        return answer ? *answer : Json{{"error", answer.error().code}, {"message", answer.error().message}};
    };
}

Json ask_call(const std::string& id, const std::string& kind, Json params) {
    Json call = tool_call(id, "tool.fake.ask");
    call["arguments"] = {{"kind", kind}, {"params", std::move(params)}};
    return call;
}

std::string tool_result_text(Harness& h, const std::string& task) {
    for (const auto& e : h.events(task))
        if (e.type == "tool.result") return e.payload.value("content", "");
    return "";
}

TEST(ToolQuestions, SamplingIsAnsweredByTheTasksOwnModel) {
    Harness h;
    ask_through_the_registry(h);
    const Json sampling{{"messages", Json::array({{{"role", "user"}, {"content", {{"type", "text"}, {"text", "summarise"}}}}})},
                        {"maxTokens", 50}};
    h.llm.turns = {tool_turn({ask_call("c1", "sampling", sampling)}), text_turn("a short summary"), text_turn("done")};
    const std::string id = h.create("use the ask tool");
    EXPECT_EQ(h.wait_end(id), TaskState::completed);
    const Json answer = Json::parse(tool_result_text(h, id));
    EXPECT_EQ(answer["role"], "assistant");
    EXPECT_EQ(answer["content"]["text"], "a short summary");
    // The sampling request went to the model with the tool's messages only.
    const auto requests = h.llm.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[1]["messages"].size(), 1u);
    EXPECT_EQ(requests[1]["messages"][0]["content"][0]["text"], "summarise");
    EXPECT_FALSE(requests[1].contains("tools"));
    bool journaled = false;
    for (const auto& e : h.events(id)) journaled |= e.type == "llm.call" && e.payload.value("purpose", "") == "sampling";
    EXPECT_TRUE(journaled);
}

TEST(ToolQuestions, ElicitationWaitsForThePersonsMessage) {
    Harness h;
    ask_through_the_registry(h);
    const Json form{{"message", "Which branch?"},
                    {"requestedSchema", {{"type", "object"}, {"properties", {{"branch", {{"type", "string"}}}}}}}};
    h.llm.turns = {tool_turn({ask_call("c1", "elicitation", form)}), text_turn("done")};
    const std::string id = h.create("use the ask tool");
    EXPECT_EQ(h.wait_state(id, TaskState::blocked), TaskState::blocked);
    ASSERT_TRUE(h.runtime->send_message(id, "main", "test").ok());
    EXPECT_EQ(h.wait_end(id), TaskState::completed);
    EXPECT_EQ(Json::parse(tool_result_text(h, id)), (Json{{"action", "accept"}, {"content", {{"branch", "main"}}}}));
    bool asked = false, answered = false;
    for (const auto& e : h.events(id)) {
        asked |= e.type == "input.requested" && e.payload.value("kind", "") == "elicitation";
        answered |= e.type == "input.answered";
    }
    EXPECT_TRUE(asked);
    EXPECT_TRUE(answered);
}

TEST(ToolQuestions, AnotherPluginCannotAskAboutThisTasksCall) {
    Harness h;
    h.tools.ask = [&h](const Json& request) -> Json {
        auto r = h.registry->running().ask("tool.other", request.value("callId", ""), {"sampling", Json::object()});
        return {{"error", r ? "" : r.error().code}};
    };
    h.llm.turns = {tool_turn({ask_call("c1", "sampling", Json::object())}), text_turn("done")};
    const std::string id = h.create("use the ask tool");
    EXPECT_EQ(h.wait_end(id), TaskState::completed);
    EXPECT_EQ(Json::parse(tool_result_text(h, id))["error"], "NOT_FOUND");
}

TEST(ElicitationAnswer, ObjectsWordsAndOneFieldValues) {
    const Json two{{"type", "object"}, {"properties", {{"a", {{"type", "string"}}}, {"b", {{"type", "integer"}}}}}};
    const Json one{{"type", "object"}, {"properties", {{"n", {{"type", "integer"}}}}}};
    EXPECT_EQ(*elicitation_answer(R"({"a":"x","b":2})", two), (Json{{"action", "accept"}, {"content", {{"a", "x"}, {"b", 2}}}}));
    EXPECT_EQ(*elicitation_answer("  Decline ", two), (Json{{"action", "decline"}}));
    EXPECT_EQ(*elicitation_answer("cancel", one), (Json{{"action", "cancel"}}));
    EXPECT_EQ(*elicitation_answer("42", one), (Json{{"action", "accept"}, {"content", {{"n", 42}}}}));
    EXPECT_FALSE(elicitation_answer("forty-two", one).ok());
    EXPECT_FALSE(elicitation_answer("just text", two).ok());
    EXPECT_NE(elicitation_question("Pick", two).find("a (string), b (integer)"), std::string::npos);
}

}  // namespace
}  // namespace cowork::kernel::agent::testing
