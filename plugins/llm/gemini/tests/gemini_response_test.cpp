// Gemini responses (whole or streamed) → one canonical turn plus events.
#include "gemini_sse.hpp"
#include "models.hpp"
#include "request.hpp"
#include "response.hpp"

#include "llm_test_host.hpp"

#include <gtest/gtest.h>

namespace cowork::llm_gemini {
namespace {

using namespace testing;

struct Harness : llm_testing::EventLog {
    sdk::llm::ToolNameMap names{std::vector<std::string>{"tool.files.read_file"}};
    ResponseAssembler assembler{names, sink, "req-1"};
};

TEST(GeminiStream, TextChunksAtAnySplitBecomeOneTextPart) {
    const std::string bytes = text_chunk("Hello, ") + text_chunk("world") + final_chunk();
    for (size_t cut = 0; cut <= bytes.size(); cut += 5) {
        Harness h;
        h.assembler.feed_sse(std::string_view(bytes).substr(0, cut));
        h.assembler.feed_sse(std::string_view(bytes).substr(cut));
        const Turn t = h.assembler.finish();
        ASSERT_EQ(t.content, Json::parse(R"([{"type":"text","text":"Hello, world"}])")) << "cut " << cut;
        EXPECT_EQ(t.stop_reason, "end_turn");
        EXPECT_EQ(t.model, "gemini-2.5-flash");
    }
}

TEST(GeminiStream, UsageSplitsCachedTokensAndCountsThinkingAsOutput) {
    Harness h;
    h.assembler.feed_sse(text_chunk("x") + final_chunk());
    const Turn t = h.assembler.finish();
    EXPECT_EQ(t.usage, Json::parse(R"({"inputTokens":1000,"outputTokens":100,"cacheReadTokens":200,"cacheWriteTokens":0})"));
    const auto info = model_table(Json::object()).find(t.model);
    ASSERT_TRUE(info);
    // 1000×$0.30 + 100×$2.50 + 200×$0.03, per million.
    EXPECT_NEAR(sdk::llm::cost_usd(t.usage, info->pricing), 0.000556, 1e-12);
}

TEST(GeminiStream, ParallelFunctionCallsGetStableSynthesizedIds) {
    Harness a, b;
    a.assembler.feed_sse(calls_chunk());
    b.assembler.feed_sse(calls_chunk());
    const Turn t = a.assembler.finish();
    EXPECT_EQ(t.stop_reason, "tool_use");
    ASSERT_EQ(t.content.size(), 2u);
    const std::string id0 = t.content[0]["id"];
    EXPECT_EQ(id0.rfind(kSynthesizedIdPrefix, 0), 0u);
    EXPECT_NE(id0, t.content[1]["id"].get<std::string>());
    EXPECT_EQ(b.assembler.finish().content[0]["id"], id0);  // same request, same ids
    EXPECT_EQ(t.content[0]["name"], "tool.files.read_file");
    EXPECT_EQ(t.content[1]["arguments"], Json({{"path", "b.md"}}));
    EXPECT_EQ(a.assembler.signatures().at(id0), "c2ln");
    std::vector<Json> starts, deltas;
    for (const auto& e : a.events) {
        if (e["type"] == "tool_call_start") starts.push_back(e);
        if (e["type"] == "tool_call_delta") deltas.push_back(e);
    }
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_EQ(starts[1]["index"], 1);
    EXPECT_EQ(Json::parse(deltas[0]["argumentsDelta"].get<std::string>()), Json({{"path", "a.md"}}));
}

TEST(GeminiStream, DifferentRequestsGetDifferentIds) {
    Harness a;
    sdk::Events silent(nullptr);
    ResponseAssembler other(a.names, silent, "req-2");
    a.assembler.feed_sse(calls_chunk());
    other.feed_sse(calls_chunk());
    EXPECT_NE(a.assembler.finish().content[0]["id"], other.finish().content[0]["id"]);
}

TEST(GeminiStream, MidStreamErrorBeforeContentIsRetryable) {
    Harness h;
    h.assembler.feed_sse(error_chunk("UNAVAILABLE", 503, "The model is overloaded."));
    ASSERT_TRUE(h.assembler.failure());
    EXPECT_TRUE(h.assembler.failure()->retryable);
    EXPECT_EQ(h.assembler.failure()->code, "unavailable");
    EXPECT_FALSE(h.assembler.emitted());
}

TEST(GeminiStream, StreamWithoutFinishReasonIsNotAnAnswer) {
    Harness h;
    h.assembler.feed_sse(text_chunk("half"));
    try {
        h.assembler.finish();
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "unavailable");
    }
}

TEST(GeminiStream, MalformedFunctionCallQuotesTheModelsAttempt) {
    Harness h;
    h.assembler.feed_sse(data(R"j({"candidates":[{"content":{"parts":[],"role":"model"},"finishReason":"MALFORMED_FUNCTION_CALL","finishMessage":"Malformed function call: print(default_api.tool_files_read_file(path=))","index":0}]})j"));
    try {
        h.assembler.finish();
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "malformed");
        EXPECT_NE(std::string(e.what()).find("print(default_api"), std::string::npos);
    }
}

TEST(GeminiStream, FunctionArgsThatAreNoObjectComeBackAsArgumentsError) {
    Harness h;
    h.assembler.feed_sse(data(R"j({"candidates":[{"content":{"parts":[{"functionCall":{"id":"c1","name":"tool_files_read_file","args":"path: a.md"}}],"role":"model"},"finishReason":"STOP","index":0}]})j"));
    const Turn t = h.assembler.finish();
    ASSERT_EQ(t.content.size(), 1u);
    EXPECT_EQ(t.content[0]["id"], "c1");
    EXPECT_EQ(t.content[0]["name"], "tool.files.read_file");
    EXPECT_EQ(t.content[0]["arguments"], Json::object());
    EXPECT_EQ(t.content[0]["argumentsError"], "the arguments are not valid JSON: path: a.md");
    EXPECT_EQ(t.stop_reason, "tool_use");
}

TEST(GeminiResponse, SafetyAndBlockedPromptAreRefusals) {
    EXPECT_EQ(map_finish_reason("SAFETY", false), "refusal");
    EXPECT_EQ(map_finish_reason("MAX_TOKENS", true), "max_tokens");
    Harness h;
    h.assembler.add(Json::parse(R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7}})"));
    const Turn t = h.assembler.finish();
    EXPECT_EQ(t.stop_reason, "refusal");
    EXPECT_TRUE(t.content.empty());
    EXPECT_EQ(error_code_for_status("RESOURCE_EXHAUSTED"), "rate_limited");
    EXPECT_EQ(error_code_for_status("UNAUTHENTICATED"), "auth");
    EXPECT_EQ(error_code_for_status("INVALID_ARGUMENT"), "bad_request");
}

TEST(GeminiResponse, ThoughtPartsAreNotTheAnswer) {
    Harness h;
    h.assembler.add(Json::parse(R"({"candidates":[{"content":{"parts":[{"text":"pondering","thought":true},{"text":"42"}]},"finishReason":"STOP"}]})"));
    EXPECT_EQ(h.assembler.finish().content, Json::parse(R"([{"type":"text","text":"42"}])"));
}

}  // namespace
}  // namespace cowork::llm_gemini
