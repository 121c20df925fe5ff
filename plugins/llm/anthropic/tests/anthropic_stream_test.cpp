// Anthropic SSE bytes → one canonical turn plus the streamed events, on
// canned streams fed whole and split at every possible byte boundary.
#include "anthropic_sse.hpp"
#include "models.hpp"
#include "response.hpp"
#include "stream.hpp"

#include "llm_test_host.hpp"

#include <gtest/gtest.h>

namespace cowork::llm_anthropic {
namespace {

using namespace testing;

struct Harness : llm_testing::EventLog {
    sdk::llm::ToolNameMap names{std::vector<std::string>{"tool.files.read_file"}};
    StreamAssembler assembler{names, sink};
};

TEST(AnthropicStream, ParallelToolCallsAssembledPerBlockIndex) {
    const std::string bytes = parallel_tools_stream();
    // Every split point: the SSE parser and JSON assembly must not care.
    for (size_t cut = 0; cut <= bytes.size(); cut += 7) {
        Harness r;
        r.assembler.feed(std::string_view(bytes).substr(0, cut));
        r.assembler.feed(std::string_view(bytes).substr(cut));
        const Turn t = r.assembler.finish();
        ASSERT_EQ(t.content.size(), 3u) << "cut " << cut;
        EXPECT_EQ(t.content[0], Json::parse(R"({"type":"text","text":"Reading both."})"));
        EXPECT_EQ(t.content[1], Json::parse(R"({"type":"tool_call","id":"toolu_A","name":"tool.files.read_file","arguments":{"path":"a.md"}})"));
        EXPECT_EQ(t.content[2]["arguments"], Json({{"path", "b.md"}}));
        EXPECT_EQ(t.stop_reason, "tool_use");
        EXPECT_EQ(t.model, "claude-sonnet-5-5-20260901");
        EXPECT_TRUE(r.assembler.emitted());
    }
}

TEST(AnthropicStream, EventsCarryMappedNamesAndRawArgumentPieces) {
    Harness r;
    r.assembler.feed(parallel_tools_stream());
    std::vector<Json> starts, deltas, texts;
    for (const auto& e : r.events) {
        if (e["type"] == "tool_call_start") starts.push_back(e);
        if (e["type"] == "tool_call_delta") deltas.push_back(e);
        if (e["type"] == "text_delta") texts.push_back(e);
    }
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_EQ(starts[0], Json::parse(R"({"type":"tool_call_start","index":0,"id":"toolu_A","name":"tool.files.read_file"})"));
    EXPECT_EQ(starts[1]["index"], 1);
    ASSERT_EQ(deltas.size(), 4u);  // the empty first piece is not an event
    EXPECT_EQ(deltas[0], Json::parse(R"({"type":"tool_call_delta","index":0,"argumentsDelta":"{\"pa"})"));
    EXPECT_EQ(texts.size(), 2u);
}

TEST(AnthropicStream, UsageIncludesCacheTokensAndPricesThem) {
    Harness r;
    r.assembler.feed(parallel_tools_stream());
    const Turn t = r.assembler.finish();
    EXPECT_EQ(t.usage, Json::parse(R"({"inputTokens":1000,"outputTokens":500,"cacheReadTokens":3000,"cacheWriteTokens":2000})"));
    const auto info = model_table(Json::object()).find(t.model);
    ASSERT_TRUE(info);
    // Sonnet 5.5: 1000×$2 + 500×$10 + 3000×$0.10 + 2000×$2.50, per million.
    EXPECT_NEAR(sdk::llm::cost_usd(t.usage, info->pricing), 0.0123, 1e-12);
}

TEST(AnthropicStream, ToolWithoutParametersGetsAnEmptyObject) {
    Harness r;
    r.assembler.feed(message_start() + tool_block(0, "toolu_1", "tool_files_read_file", {}) + message_end("tool_use"));
    EXPECT_EQ(r.assembler.finish().content[0]["arguments"], Json::object());
}

TEST(AnthropicStream, MalformedToolJsonBecomesArgumentsErrorQuotingTheTextCapped) {
    Harness r;
    const std::string junk(300, 'x');
    r.assembler.feed(message_start() + tool_block(0, "toolu_1", "tool_files_read_file", {"{\\\"path\\\": " + junk}) +
                     message_end("tool_use"));
    EXPECT_FALSE(r.assembler.failure());
    const Turn t = r.assembler.finish();
    ASSERT_EQ(t.content.size(), 1u);
    const Json& part = t.content[0];
    EXPECT_EQ(part["name"], "tool.files.read_file");
    EXPECT_EQ(part["arguments"], Json::object());
    const std::string msg = part.value("argumentsError", "");
    EXPECT_NE(msg.find("not valid JSON"), std::string::npos);
    EXPECT_NE(msg.find("{\"path\": xxx"), std::string::npos);
    EXPECT_EQ(msg.find(junk), std::string::npos);  // capped
    EXPECT_EQ(t.stop_reason, "tool_use");
}

TEST(AnthropicStream, MidStreamOverloadedIsUnavailableAndRetryableBeforeContent) {
    Harness r;
    r.assembler.feed(message_start() + error_event("overloaded_error", "Overloaded"));
    ASSERT_TRUE(r.assembler.failure());
    EXPECT_TRUE(r.assembler.failure()->retryable);
    EXPECT_FALSE(r.assembler.emitted());
    try {
        r.assembler.finish();
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "unavailable");
        EXPECT_NE(std::string(e.what()).find("Overloaded"), std::string::npos);
    }
}

TEST(AnthropicStream, StreamCutBeforeMessageStopIsNotAnAnswer) {
    Harness r;
    r.assembler.feed(message_start() + text_block(0, {"half an ans"}));
    try {
        r.assembler.finish();
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "unavailable");
    }
}

TEST(AnthropicStream, UnparsableEventIsMalformed) {
    Harness r;
    r.assembler.feed(message_start() + "event: content_block_delta\ndata: {nope\n\n");
    ASSERT_TRUE(r.assembler.failure());
    EXPECT_EQ(r.assembler.failure()->code, "malformed");
}

TEST(AnthropicResponse, StopReasonsAndErrorTypes) {
    EXPECT_EQ(map_stop_reason("end_turn"), "end_turn");
    EXPECT_EQ(map_stop_reason("refusal"), "refusal");
    EXPECT_EQ(map_stop_reason("stop_sequence"), "stop_sequence");
    EXPECT_EQ(map_stop_reason("pause_turn"), "end_turn");
    EXPECT_EQ(error_code_for_type("overloaded_error"), "unavailable");
    EXPECT_EQ(error_code_for_type("authentication_error"), "auth");
    EXPECT_EQ(error_code_for_type("rate_limit_error"), "rate_limited");
    EXPECT_EQ(error_code_for_type("invalid_request_error"), "bad_request");
    EXPECT_FALSE(retryable_type("invalid_request_error"));
}

TEST(AnthropicResponse, WholeMessage) {
    sdk::llm::ToolNameMap names{std::vector<std::string>{"tool.files.read_file"}};
    const Turn t = turn_from_message(Json::parse(R"({"type":"message","model":"claude-haiku-4-5-20251001",
        "content":[{"type":"thinking","thinking":"hm"},{"type":"text","text":"Hi"},
                   {"type":"tool_use","id":"toolu_9","name":"tool_files_read_file","input":{"path":"x"}}],
        "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":5}})"),
                                     names);
    ASSERT_EQ(t.content.size(), 2u);
    EXPECT_EQ(t.content[1]["name"], "tool.files.read_file");
    EXPECT_EQ(t.stop_reason, "tool_use");
    EXPECT_EQ(t.usage["outputTokens"], 5);
}

TEST(AnthropicResponse, WholeMessageToolInputThatIsNoObjectIsAnArgumentsError) {
    sdk::llm::ToolNameMap names{std::vector<std::string>{"tool.files.read_file"}};
    const Turn t = turn_from_message(Json::parse(R"({"type":"message","content":[
        {"type":"tool_use","id":"toolu_9","name":"tool_files_read_file","input":"path=x"}],"stop_reason":"tool_use"})"),
                                     names);
    ASSERT_EQ(t.content.size(), 1u);
    EXPECT_EQ(t.content[0]["arguments"], Json::object());
    EXPECT_EQ(t.content[0]["argumentsError"], "the arguments are not valid JSON: path=x");
}

TEST(AnthropicModels, ConfigOverridesAndAdds) {
    const auto table = model_table(Json::parse(
        R"({"claude-sonnet-5-5":{"inputPerMTok":9},"my-proxy-model":{"contextWindow":1000,"pricing":{"outputPerMTok":1}}})"));
    EXPECT_EQ(table.models().front().id, "claude-sonnet-5-5");  // the default model stays first
    EXPECT_EQ(table.models().front().pricing.input_per_mtok, 9);
    EXPECT_EQ(table.models().front().pricing.output_per_mtok, 10);  // untouched fields kept
    const auto added = table.find("my-proxy-model");
    ASSERT_TRUE(added);
    EXPECT_EQ(added->context_window, 1000);
    EXPECT_EQ(added->pricing.output_per_mtok, 1);
    EXPECT_EQ(table.find("claude-haiku-4-5-20251001")->id, "claude-haiku-4-5");
}

}  // namespace
}  // namespace cowork::llm_anthropic
