// Ollama: host resolution, request body, NDJSON assembly, model listing.
#include "ollama_models.hpp"
#include "ollama_request.hpp"
#include "ollama_settings.hpp"
#include "ollama_stream.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

namespace cowork::ollama {
namespace {

TEST(OllamaSettings, OllamaHostFormsAreNormalized) {
    EXPECT_EQ(resolve_base("", std::nullopt), "http://127.0.0.1:11434");
    EXPECT_EQ(resolve_base("", std::string("0.0.0.0")), "http://127.0.0.1:11434");
    EXPECT_EQ(resolve_base("", std::string("gpu-box:8080")), "http://gpu-box:8080");
    EXPECT_EQ(resolve_base("", std::string("https://ollama.example.com/")), "https://ollama.example.com:443");
    EXPECT_EQ(resolve_base("http://127.0.0.1:5/", std::string("ignored:1")), "http://127.0.0.1:5");
    EXPECT_EQ(normalize_base("[::1]"), "http://[::1]:11434");
}

TEST(OllamaRequest, MultiTurnToolUseWithImagesTranslatesFieldByField) {
    const Json req = Json::parse(R"({"model":"qwen3","system":"Be brief.","maxTokens":256,"temperature":0,
      "messages":[
        {"role":"user","content":[{"type":"text","text":"What is in a.png?"},{"type":"image","mediaType":"image/png","data":"iVBO"}]},
        {"role":"assistant","content":[{"type":"tool_call","id":"c1","name":"tool.files.read_file","arguments":{"path":"a.md"}}]},
        {"role":"tool","content":[{"type":"tool_result","toolCallId":"c1","content":"text","isError":false}]}],
      "tools":[{"name":"tool.files.read_file","description":"Read","inputSchema":{"type":"object"}}]})");
    sdk::llm::ToolNameMap names;
    const Json body = build_chat_request(req, "qwen3", Json{{"num_ctx", 8192}}, "5m", names);
    EXPECT_EQ(body["model"], "qwen3");
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(body["keep_alive"], "5m");
    EXPECT_EQ(body["options"], Json::parse(R"({"num_ctx":8192,"num_predict":256,"temperature":0})"));
    const Json& m = body["messages"];
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m[0], Json::parse(R"({"role":"system","content":"Be brief."})"));
    EXPECT_EQ(m[1], Json::parse(R"({"role":"user","content":"What is in a.png?","images":["iVBO"]})"));
    EXPECT_EQ(m[2], Json::parse(R"({"role":"assistant","content":"",
        "tool_calls":[{"function":{"name":"tool_files_read_file","arguments":{"path":"a.md"}}}]})"));
    EXPECT_EQ(m[3], Json::parse(R"({"role":"tool","content":"text","tool_name":"tool_files_read_file"})"));
    EXPECT_EQ(body["tools"], Json::parse(R"([{"type":"function","function":{"name":"tool_files_read_file",
        "description":"Read","parameters":{"type":"object"}}}])"));
}

TEST(OllamaRequest, NothingToSendIsInvalid) {
    sdk::llm::ToolNameMap names;
    EXPECT_THROW(build_chat_request(Json::object(), "m", Json(), "", names), sdk::Error);
}

// As Ollama streams a tool-using turn (0.9+): text lines, a line with the
// whole tool calls, then the done line with counts.
const char* kToolTurn =
    "{\"model\":\"qwen3\",\"created_at\":\"2025-05-27T22:54:57Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Let me look.\"},\"done\":false}\n"
    "{\"model\":\"qwen3\",\"created_at\":\"2025-05-27T22:54:58Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
    "{\"function\":{\"name\":\"tool_files_read_file\",\"arguments\":{\"path\":\"a.md\"}}},"
    "{\"function\":{\"name\":\"tool_files_list\",\"arguments\":{}}}]},\"done\":false}\n"
    "{\"model\":\"qwen3\",\"created_at\":\"2025-05-27T22:54:58Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
    "\"done_reason\":\"stop\",\"total_duration\":1200000000,\"prompt_eval_count\":42,\"eval_count\":17}\n";

struct Harness {
    sdk::llm::ToolNameMap names{std::vector<std::string>{"tool.files.read_file", "tool.files.list"}};
    std::vector<Json> events;
    NdjsonAssembler assembler{names, [this](const Json& e) { events.push_back(e); }};
};

TEST(OllamaStream, ToolCallsTextAndCountsAssembleAtAnyChunkBoundary) {
    for (size_t piece : {1u, 13u, 10000u}) {
        Harness h;
        const std::string bytes = kToolTurn;
        for (size_t i = 0; i < bytes.size(); i += piece) h.assembler.feed(std::string_view(bytes).substr(i, piece));
        const Reply& r = h.assembler.reply();
        EXPECT_TRUE(r.done);
        EXPECT_EQ(stop_reason(r), "tool_use");
        EXPECT_EQ(r.usage, Json::parse(R"({"inputTokens":42,"outputTokens":17,"cacheReadTokens":0,"cacheWriteTokens":0})"));
        const Json message = result_message(r, h.names);
        EXPECT_EQ(message, Json::parse(R"({"role":"assistant","content":[{"type":"text","text":"Let me look."},
            {"type":"tool_call","id":"call_0","name":"tool.files.read_file","arguments":{"path":"a.md"}},
            {"type":"tool_call","id":"call_1","name":"tool.files.list","arguments":{}}]})"));
        ASSERT_EQ(h.events.size(), 6u);  // text, start+delta ×2, usage
        EXPECT_EQ(h.events[1], Json::parse(R"({"type":"tool_call_start","index":0,"id":"call_0","name":"tool.files.read_file"})"));
        EXPECT_EQ(h.events[2], Json::parse(R"({"type":"tool_call_delta","index":0,"argumentsDelta":"{\"path\":\"a.md\"}"})"));
    }
}

TEST(OllamaStream, LengthStopsAndStringArgumentsThatAreNotJson) {
    Harness h;
    h.assembler.feed("{\"message\":{\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"tool_files_list\",\"arguments\":\"{oops\"}}]},\"done\":false}\n"
                     "{\"message\":{\"content\":\"\"},\"done\":true,\"done_reason\":\"length\"}");
    h.assembler.finish();  // the last line had no newline
    EXPECT_TRUE(h.assembler.reply().done);
    const Json part = result_message(h.assembler.reply(), h.names)["content"][0];
    EXPECT_EQ(part["arguments"], Json::object());
    EXPECT_EQ(part["argumentsError"], "the arguments are not valid JSON: {oops");  // one wording for all providers
    Reply only_text;
    only_text.done_reason = "length";
    EXPECT_EQ(stop_reason(only_text), "max_tokens");
}

TEST(OllamaStream, ErrorLinesAndGarbageAreReported) {
    Harness h;
    try {
        h.assembler.feed("{\"error\":\"model requires more system memory\"}\n");
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "unavailable");
        EXPECT_NE(std::string(e.what()).find("more system memory"), std::string::npos);
    }
    Harness g;
    try {
        g.assembler.feed("not json\n");
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "malformed");
    }
}

TEST(OllamaModels, TagsShowAndOverrides) {
    const Json tags = Json::parse(R"({"models":[{"name":"llama3.2:latest","model":"llama3.2:latest","size":2019393189},
        {"name":"qwen3:8b","model":"qwen3:8b"}]})");
    EXPECT_EQ(model_names(tags), (std::vector<std::string>{"llama3.2:latest", "qwen3:8b"}));
    EXPECT_EQ(context_length(Json::parse(R"({"model_info":{"general.architecture":"llama","llama.context_length":131072}})")), 131072);
    EXPECT_EQ(context_length(Json::object()), 0);
    const Json e = model_entry("qwen3:8b", 40960, Json::parse(R"({"qwen3:8b":{"context_window":8192}})"));
    EXPECT_EQ(e["contextWindow"], 8192);
    EXPECT_EQ(e["pricing"]["inputPerMTok"], 0);
}

}  // namespace
}  // namespace cowork::ollama
