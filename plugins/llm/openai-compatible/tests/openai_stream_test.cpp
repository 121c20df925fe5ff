// Chat Completions SSE bytes → events and the assembled reply.
#include "openai_stream.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

namespace cowork::openai {
namespace {

// A text answer as OpenAI streams it with stream_options.include_usage.
const char* kTextStream =
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo \\u00e9\"},\"finish_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100,\"total_tokens\":1100,\"prompt_tokens_details\":{\"cached_tokens\":200}}}\n\n"
    "data: [DONE]\n\n";

// Two parallel tool calls, their fragments interleaved.
const char* kToolStream =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"tool_files_read_file\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"pa\"}}]},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"tool_files_list\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"th\\\":\\\"a.md\\\"}\"}}]},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
    "data: [DONE]\n\n";

struct Harness {
    sdk::llm::ToolNameMap names{std::vector<std::string>{"tool.files.read_file", "tool.files.list"}};
    std::vector<Json> events;
    StreamAssembler assembler{names, [this](const Json& e) { events.push_back(e); }};

    void feed_in_pieces(const std::string& bytes, size_t piece) {
        for (size_t i = 0; i < bytes.size(); i += piece) assembler.feed(std::string_view(bytes).substr(i, piece));
    }
    std::vector<Json> of(const std::string& type) const {
        std::vector<Json> out;
        for (const auto& e : events)
            if (e["type"] == type) out.push_back(e);
        return out;
    }
};

TEST(OpenAiStream, TextDeltasUsageAndDoneSurviveAnyChunkBoundary) {
    for (size_t piece : {1u, 7u, 4096u}) {
        Harness h;
        h.feed_in_pieces(kTextStream, piece);
        EXPECT_TRUE(h.assembler.finished());
        const Reply& r = h.assembler.reply();
        EXPECT_EQ(r.text, "Hello \xc3\xa9");
        EXPECT_EQ(r.model, "gpt-4o-mini-2024-07-18");
        EXPECT_EQ(stop_reason(r), "end_turn");
        EXPECT_EQ(r.usage, Json::parse(R"({"inputTokens":800,"outputTokens":100,"cacheReadTokens":200,"cacheWriteTokens":0})"));
        const auto deltas = h.of("text_delta");
        ASSERT_EQ(deltas.size(), 2u);  // the empty first content is not an event
        EXPECT_EQ(deltas[0]["text"], "Hel");
        ASSERT_EQ(h.of("usage").size(), 1u);
        EXPECT_EQ(h.of("usage")[0]["usage"]["inputTokens"], 800);
    }
}

TEST(OpenAiStream, ParallelToolCallsAreAssembledByIndexAndMappedBack) {
    Harness h;
    h.feed_in_pieces(kToolStream, 5);
    const Reply& r = h.assembler.reply();
    EXPECT_EQ(stop_reason(r), "tool_use");
    const auto starts = h.of("tool_call_start");
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_EQ(starts[0], Json::parse(R"({"type":"tool_call_start","index":0,"id":"call_a","name":"tool.files.read_file"})"));
    EXPECT_EQ(starts[1], Json::parse(R"({"type":"tool_call_start","index":1,"id":"call_b","name":"tool.files.list"})"));
    std::string args0;
    for (const auto& d : h.of("tool_call_delta"))
        if (d["index"] == 0) args0 += d["argumentsDelta"].get<std::string>();
    EXPECT_EQ(args0, R"({"path":"a.md"})");
    const Json message = result_message(r, h.names);
    ASSERT_EQ(message["content"].size(), 2u);
    EXPECT_EQ(message["content"][0], Json::parse(R"({"type":"tool_call","id":"call_a","name":"tool.files.read_file","arguments":{"path":"a.md"}})"));
    EXPECT_EQ(message["content"][1]["arguments"], Json::object());
}

TEST(OpenAiStream, MalformedArgumentsComeBackAsArgumentsError) {
    Harness h;
    h.assembler.feed(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"tool_files_list\",\"arguments\":\"{\\\"dir\\\": \\\"src\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n"
        "data: [DONE]\n\n");
    const Json part = result_message(h.assembler.reply(), h.names)["content"][0];
    EXPECT_EQ(part["name"], "tool.files.list");
    EXPECT_EQ(part["arguments"], Json::object());
    EXPECT_EQ(part["argumentsError"], "the arguments are not valid JSON: {\"dir\": \"src");
}

TEST(OpenAiStream, ANonJsonDataLineIsMalformedQuotingIt) {
    Harness h;
    try {
        h.assembler.feed("data: {\"choices\": [oops\n\n");
        FAIL() << "no error";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "malformed");
        EXPECT_NE(std::string(e.what()).find("[oops"), std::string::npos);
    }
}

TEST(OpenAiStream, AnErrorObjectMidStreamIsUnavailableWithItsMessage) {
    Harness h;
    try {
        h.assembler.feed("data: {\"error\":{\"message\":\"upstream overloaded\",\"code\":502}}\n\n");
        FAIL() << "no error";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "unavailable");
        EXPECT_NE(std::string(e.what()).find("upstream overloaded"), std::string::npos);
    }
}

TEST(OpenAiStream, NothingCountsAfterDoneAndCommentsAreIgnored) {
    Harness h;
    h.assembler.feed(": OPENROUTER PROCESSING\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\ndata: [DONE]\n\n"
                     "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n");
    EXPECT_EQ(h.assembler.reply().text, "a");
    EXPECT_TRUE(h.assembler.finished());
}

TEST(OpenAiStream, AStreamWithoutFinishIsNotFinishedAndResetForgetsIt) {
    Harness h;
    EXPECT_TRUE(h.assembler.feed("data: {\"choices\":[{\"delta\":{\"content\":\"half\"}}]}\n\ndata: {\"cho"));
    EXPECT_FALSE(h.assembler.finished());
    h.assembler.reset();
    h.assembler.feed("ices\":[]}\n\n");  // the old partial line is gone: this is no event
    EXPECT_FALSE(h.assembler.saw_events());
    EXPECT_EQ(h.assembler.reply().text, "");
}

TEST(OpenAiReply, FinishReasonsMapToStopReasons) {
    auto with = [](std::string f) {
        Reply r;
        r.finish_reason = std::move(f);
        return stop_reason(r);
    };
    EXPECT_EQ(with("stop"), "end_turn");
    EXPECT_EQ(with("tool_calls"), "tool_use");
    EXPECT_EQ(with("length"), "max_tokens");
    EXPECT_EQ(with("content_filter"), "refusal");
}

TEST(OpenAiReply, ANonStreamedCompletionIsReadToo) {
    const Reply r = reply_from_completion(Json::parse(R"({"model":"m1","choices":[{"index":0,"finish_reason":"tool_calls",
        "message":{"role":"assistant","content":null,"tool_calls":[{"id":"x","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]}}],
        "usage":{"prompt_tokens":5,"completion_tokens":2}})"));
    EXPECT_EQ(r.model, "m1");
    ASSERT_EQ(r.tool_calls.size(), 1u);
    EXPECT_EQ(r.tool_calls[0].arguments, "{\"a\":1}");
    EXPECT_EQ(r.usage["inputTokens"], 5);
    EXPECT_EQ(stop_reason(r), "tool_use");
}

}  // namespace
}  // namespace cowork::openai
