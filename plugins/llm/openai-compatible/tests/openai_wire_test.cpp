// llm.openai-compatible byte for byte on the wire: the plugin through its C
// entry, the kernel's real cowork.http/1, a scripted HTTP server on 127.0.0.1.
#include "llm_test_host.hpp"

#include <gtest/gtest.h>

namespace {

using Json = nlohmann::json;
using cowork::llm_testing::events_of;
using cowork::llm_testing::WireHarness;
using cowork::testing::ScriptedResponse;

ScriptedResponse sse(std::vector<std::string> chunks, int status = 200) {
    if (status == 200) return cowork::llm_testing::streamed("text/event-stream", std::move(chunks));
    return cowork::llm_testing::json_reply(status, chunks.empty() ? "" : chunks[0]);
}

// The plugin, the kernel's real http service and a scripted server.
struct Wire : ::testing::Test, WireHarness {
    Wire()
        : WireHarness({"llm.openai-compatible", COWORK_LLM_OPENAI_SO, Json{{"max_retries", 3}}, "/v1", "sk-wire",
                       {"OPENAI_API_KEY", "OPENAI_BASE_URL"}}) {}
    Json turn() const {
        return Json::parse(R"({"requestId":"w1","model":"gpt-4o-mini","stream":true,"system":"S",
          "messages":[{"role":"user","content":[{"type":"text","text":"list"}]},
            {"role":"assistant","content":[{"type":"tool_call","id":"call_1","name":"tool.files.list","arguments":{"dir":"."}}]},
            {"role":"tool","content":[{"type":"tool_result","toolCallId":"call_1","content":"a.md","isError":false}]}],
          "tools":[{"name":"tool.files.list","description":"List","inputSchema":{"type":"object"}},
                   {"name":"tool.files.read_file","description":"Read","inputSchema":{"type":"object"}}]})");
    }
};

const char* kParallel[] = {
    "data: {\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"tool_files_read_file\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n",
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"path\\\":\\\"a.md\\\"}\"}},{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"tool_files_list\",\"arguments\":\"{\\\"dir\\\":\\\"src\\\"}\"}}]},\"finish_reason\":null}]}\n\n",
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":20,\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n",
    "data: [DONE]\n\n"};

TEST_F(Wire, MultiTurnToolUseWithParallelCallsOverRealHttp) {
    server.enqueue(sse({kParallel[0], kParallel[1], kParallel[2], kParallel[3]}));
    const auto out = llm->complete(turn());
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].target, "/v1/chat/completions");
    EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer sk-wire");
    const Json body = Json::parse(requests[0].body);
    EXPECT_EQ(body["messages"][0], Json({{"role", "system"}, {"content", "S"}}));
    EXPECT_EQ(body["messages"][2]["tool_calls"][0]["function"], Json({{"name", "tool_files_list"}, {"arguments", "{\"dir\":\".\"}"}}));
    EXPECT_EQ(body["messages"][3], Json({{"role", "tool"}, {"tool_call_id", "call_1"}, {"content", "a.md"}}));
    EXPECT_EQ(body["tools"][1]["function"]["name"], "tool_files_read_file");
    const Json& content = out.result["message"]["content"];
    ASSERT_EQ(content.size(), 2u);
    EXPECT_EQ(content[0], Json::parse(R"({"type":"tool_call","id":"call_a","name":"tool.files.read_file","arguments":{"path":"a.md"}})"));
    EXPECT_EQ(content[1], Json::parse(R"({"type":"tool_call","id":"call_b","name":"tool.files.list","arguments":{"dir":"src"}})"));
    EXPECT_EQ(out.result["stopReason"], "tool_use");
    EXPECT_EQ(out.result["usage"]["inputTokens"], 50);
    EXPECT_EQ(events_of(out.events, "tool_call_start").size(), 2u);
}

TEST_F(Wire, StreamCutMidChunkIsUnavailableWithoutAHalfResult) {
    ScriptedResponse cut = sse({"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"choi", "rest"});
    cut.close_mid_body = true;
    server.enqueue(cut);
    const auto out = llm->complete(turn());
    EXPECT_EQ(out.code(), "unavailable") << out.result.dump();
    EXPECT_FALSE(out.result.contains("stopReason"));
}

TEST_F(Wire, RateLimitedThenSuccess) {
    ScriptedResponse limited = sse({R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})"}, 429);
    limited.headers.push_back({"retry-after-ms", "10"});
    server.enqueue(limited);
    server.enqueue(sse({kParallel[0], kParallel[1], kParallel[2], kParallel[3]}));
    const auto out = llm->complete(turn());
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(out.result["attempts"], 2);
    ASSERT_EQ(events_of(out.events, "retry").size(), 1u);
    EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(Wire, ServerErrorsExhaustRetries) {
    host.set_config(Json{{"base_url", server.base_url() + "/v1"}, {"max_retries", 3}});
    for (int i = 0; i < 4; ++i) {
        ScriptedResponse e = sse({R"({"error":{"message":"The server had an error"}})"}, 500);
        e.headers.push_back({"retry-after-ms", "1"});
        server.enqueue(e);
    }
    const auto out = llm->complete(turn());
    EXPECT_EQ(out.code(), "unavailable");
    EXPECT_EQ(server.requests().size(), 4u);
}

TEST_F(Wire, UnauthorizedCarriesTheProviderMessage) {
    server.enqueue(sse({R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}})"}, 401));
    const auto out = llm->complete(turn());
    EXPECT_EQ(out.code(), "auth");
    EXPECT_NE(out.result["message"].get<std::string>().find("Incorrect API key provided"), std::string::npos);
}

}  // namespace
