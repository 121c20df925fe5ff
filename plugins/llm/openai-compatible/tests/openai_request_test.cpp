// cowork.llm/1 request → Chat Completions body, field by field.
#include "openai_request.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

namespace cowork::openai {
namespace {

Json canonical_turn() {
    return Json::parse(R"({
      "requestId": "t1-turn3", "model": "gpt-4o-mini", "system": "You are terse.",
      "messages": [
        {"role": "user", "content": [{"type": "text", "text": "Summarise README.md"}]},
        {"role": "assistant", "content": [
          {"type": "text", "text": "Reading it."},
          {"type": "tool_call", "id": "call_1", "name": "tool.files.read_file", "arguments": {"path": "README.md"}}]},
        {"role": "tool", "content": [
          {"type": "tool_result", "toolCallId": "call_1", "content": "# CoWork", "isError": false}]}
      ],
      "tools": [{"name": "tool.files.read_file", "description": "Read a file", "inputSchema": {"type": "object"}}],
      "maxTokens": 4096, "temperature": 0.2, "stream": true})");
}

TEST(OpenAiRequest, MultiTurnToolUseTranslatesFieldByField) {
    sdk::llm::ToolNameMap names;
    const Json body = build_chat_request(canonical_turn(), {"gpt-4o-mini", true, "max_tokens"}, names);
    EXPECT_EQ(body["model"], "gpt-4o-mini");
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(body["stream_options"], Json({{"include_usage", true}}));
    EXPECT_EQ(body["max_tokens"], 4096);
    EXPECT_EQ(body["temperature"], 0.2);
    const Json& m = body["messages"];
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m[0], Json({{"role", "system"}, {"content", "You are terse."}}));
    EXPECT_EQ(m[1], Json({{"role", "user"}, {"content", "Summarise README.md"}}));
    EXPECT_EQ(m[2]["role"], "assistant");
    EXPECT_EQ(m[2]["content"], "Reading it.");
    EXPECT_EQ(m[2]["tool_calls"], Json::parse(R"([{"id":"call_1","type":"function",
        "function":{"name":"tool_files_read_file","arguments":"{\"path\":\"README.md\"}"}}])"));
    EXPECT_EQ(m[3], Json({{"role", "tool"}, {"tool_call_id", "call_1"}, {"content", "# CoWork"}}));
    EXPECT_EQ(body["tools"], Json::parse(R"([{"type":"function","function":{"name":"tool_files_read_file",
        "description":"Read a file","parameters":{"type":"object"}}}])"));
    EXPECT_EQ(names.id("tool_files_read_file"), "tool.files.read_file");
}

TEST(OpenAiRequest, ImagesBecomeDataUrlPartsBesideText) {
    sdk::llm::ToolNameMap names;
    const Json req = Json::parse(R"({"messages":[{"role":"user","content":[
        {"type":"text","text":"What is this?"},{"type":"image","mediaType":"image/jpeg","data":"QUJD"}]}]})");
    const Json body = build_chat_request(req, {"m", true, "max_tokens"}, names);
    EXPECT_EQ(body["messages"][0]["content"], Json::parse(R"([{"type":"text","text":"What is this?"},
        {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,QUJD"}}])"));
}

TEST(OpenAiRequest, ToolOnlyTurnHasNullContentAndErrorsAreMarked) {
    sdk::llm::ToolNameMap names;
    const Json req = Json::parse(R"({"messages":[
        {"role":"user","content":[{"type":"text","text":"go"}]},
        {"role":"assistant","content":[{"type":"tool_call","id":"a","name":"x.y","arguments":{}},
                                       {"type":"tool_call","id":"b","name":"x.z","arguments":{"n":1}}]},
        {"role":"tool","content":[{"type":"tool_result","toolCallId":"a","content":"boom","isError":true},
                                  {"type":"tool_result","toolCallId":"b","content":"ok"}]}]})");
    const Json body = build_chat_request(req, {"m", false, "max_completion_tokens"}, names);
    EXPECT_FALSE(body.contains("stream_options"));
    const Json& m = body["messages"];
    ASSERT_EQ(m.size(), 4u);
    EXPECT_TRUE(m[1]["content"].is_null());
    EXPECT_EQ(m[1]["tool_calls"].size(), 2u);
    EXPECT_EQ(m[1]["tool_calls"][0]["function"]["arguments"], "{}");
    EXPECT_EQ(m[2]["content"], "[tool error] boom");
    EXPECT_EQ(m[3]["tool_call_id"], "b");
    EXPECT_FALSE(body.contains("tools"));
}

TEST(OpenAiRequest, MaxTokensFieldAndToolChoiceFollowTheOptions) {
    sdk::llm::ToolNameMap names;
    Json req = canonical_turn();
    req["toolChoice"] = {{"name", "tool.files.read_file"}};
    const Json body = build_chat_request(req, {"o3", true, "max_completion_tokens"}, names);
    EXPECT_EQ(body["max_completion_tokens"], 4096);
    EXPECT_FALSE(body.contains("max_tokens"));
    EXPECT_EQ(body["tool_choice"], Json::parse(R"({"type":"function","function":{"name":"tool_files_read_file"}})"));
}

TEST(OpenAiRequest, NothingToSendIsInvalid) {
    sdk::llm::ToolNameMap names;
    EXPECT_THROW(build_chat_request(Json::object(), {"m", true, "max_tokens"}, names), sdk::Error);
}

}  // namespace
}  // namespace cowork::openai
