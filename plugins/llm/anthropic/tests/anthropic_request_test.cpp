// Canonical request → Anthropic Messages body, field by field.
#include "request.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

namespace cowork::llm_anthropic {
namespace {

Json conversation() {
    return Json::parse(R"({
      "requestId": "t1-turn3", "model": "claude-sonnet-5-5", "system": "You are terse.",
      "messages": [
        {"role": "user", "content": [{"type": "text", "text": "Read both files"}]},
        {"role": "assistant", "content": [
          {"type": "text", "text": "Reading."},
          {"type": "tool_call", "id": "toolu_1", "name": "tool.files.read_file", "arguments": {"path": "a.md"}},
          {"type": "tool_call", "id": "toolu_2", "name": "tool.files.read_file", "arguments": {"path": "b.md"}}]},
        {"role": "tool", "content": [{"type": "tool_result", "toolCallId": "toolu_1", "content": "A", "isError": false}]},
        {"role": "tool", "content": [{"type": "tool_result", "toolCallId": "toolu_2", "content": "no such file", "isError": true}]},
        {"role": "user", "content": [{"type": "text", "text": "and summarise"},
                                     {"type": "image", "mediaType": "image/png", "data": "iVBORw0KGgo="}]}
      ],
      "tools": [{"name": "tool.files.read_file", "description": "Read a file", "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}}}},
                {"name": "tool.shell.run", "description": "Run", "inputSchema": {}}],
      "maxTokens": 1024, "temperature": 0.2, "stream": true,
      "cache": {"system": true, "tools": true}
    })");
}

TEST(AnthropicRequest, SystemToolsAndCacheControl) {
    const WireRequest w = build_request(conversation(), 4096, true);
    const Json& b = w.body;
    EXPECT_EQ(b["model"], "claude-sonnet-5-5");
    EXPECT_EQ(b["max_tokens"], 1024);
    EXPECT_EQ(b["temperature"], 0.2);
    EXPECT_EQ(b["stream"], true);
    EXPECT_EQ(b["system"], Json::parse(R"([{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}])"));
    ASSERT_EQ(b["tools"].size(), 2u);
    EXPECT_EQ(b["tools"][0]["name"], "tool_files_read_file");
    EXPECT_FALSE(b["tools"][0].contains("cache_control"));
    EXPECT_EQ(b["tools"][0]["input_schema"]["properties"]["path"]["type"], "string");
    EXPECT_EQ(b["tools"][1]["name"], "tool_shell_run");
    EXPECT_EQ(b["tools"][1]["input_schema"], Json({{"type", "object"}}));  // the API requires a type
    EXPECT_EQ(b["tools"][1]["cache_control"], Json({{"type", "ephemeral"}}));
    EXPECT_EQ(w.names.id("tool_files_read_file"), "tool.files.read_file");
}

TEST(AnthropicRequest, ToolResultsMergeIntoOneUserMessageBeforeItsText) {
    const Json m = build_request(conversation(), 4096, true).body["messages"];
    ASSERT_EQ(m.size(), 3u);  // user, assistant, user (two tool messages + user merged)
    EXPECT_EQ(m[1]["role"], "assistant");
    EXPECT_EQ(m[1]["content"][1], Json::parse(R"({"type":"tool_use","id":"toolu_1","name":"tool_files_read_file","input":{"path":"a.md"}})"));
    const Json& u = m[2];
    EXPECT_EQ(u["role"], "user");
    ASSERT_EQ(u["content"].size(), 4u);
    EXPECT_EQ(u["content"][0], Json::parse(R"({"type":"tool_result","tool_use_id":"toolu_1","content":"A"})"));
    EXPECT_EQ(u["content"][1], Json::parse(R"({"type":"tool_result","tool_use_id":"toolu_2","content":"no such file","is_error":true})"));
    EXPECT_EQ(u["content"][2], Json::parse(R"({"type":"text","text":"and summarise"})"));
    EXPECT_EQ(u["content"][3], Json::parse(R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}})"));
}

TEST(AnthropicRequest, NoCacheMeansPlainSystemAndNoBreakpoints) {
    Json c = conversation();
    c.erase("cache");
    c.erase("maxTokens");
    const Json b = build_request(c, 4096, false).body;
    EXPECT_EQ(b["system"], "You are terse.");
    EXPECT_EQ(b["max_tokens"], 4096);  // required by Anthropic: the default fills it
    EXPECT_FALSE(b.contains("stream"));
    for (const auto& t : b["tools"]) EXPECT_FALSE(t.contains("cache_control"));
}

TEST(AnthropicRequest, EmptyTextIsDroppedAndStringArgumentsAreParsed) {
    Json c = Json::parse(R"({"model":"m","messages":[
      {"role":"assistant","content":[{"type":"text","text":""},{"type":"tool_call","id":"x","name":"t","arguments":"{\"a\":1}"}]}]})");
    const Json m = build_request(c, 10, true).body["messages"];
    ASSERT_EQ(m[0]["content"].size(), 1u);
    EXPECT_EQ(m[0]["content"][0]["input"], Json({{"a", 1}}));
}

TEST(AnthropicRequest, RejectsWhatItCannotTranslate) {
    EXPECT_THROW(build_request(Json::parse(R"({"messages":[]})"), 10, true), sdk::Error);
    try {
        build_request(Json::parse(R"({"model":"m","messages":[{"role":"system","content":[]}]})"), 10, true);
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "bad_request");
    }
}

}  // namespace
}  // namespace cowork::llm_anthropic
