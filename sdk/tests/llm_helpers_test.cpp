// The SDK's LLM helpers: stream parsers fed byte by byte, name mapping,
// retry timing, pricing, cancellation.
#include <cowork/sdk/llm/cancel.hpp>
#include <cowork/sdk/llm/pricing.hpp>
#include <cowork/sdk/llm/retry.hpp>
#include <cowork/sdk/llm/sse.hpp>
#include <cowork/sdk/llm/tool_names.hpp>

#include <gtest/gtest.h>

#include <regex>
#include <thread>

using namespace cowork::sdk::llm;

TEST(SseParser, SplitsEventsAcrossAnyChunkBoundary) {
    const std::string stream =
        ": keep-alive\r\n\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\n"
        "data: line one\ndata: line two\n\nid: 7\ndata: {\"ü\":\"ß\"}\r\r"
        "data: [DONE]\n\n";
    for (size_t step = 1; step <= stream.size(); ++step) {
        std::vector<SseEvent> got;
        SseParser p([&](const SseEvent& e) { got.push_back(e); });
        for (size_t i = 0; i < stream.size(); i += step) p.feed(std::string_view(stream).substr(i, step));
        ASSERT_EQ(got.size(), 4u) << "step " << step;
        EXPECT_EQ(got[0].event, "message_start");
        EXPECT_EQ(got[0].data, "{\"a\":1}");
        EXPECT_EQ(got[1].event, "message");
        EXPECT_EQ(got[1].data, "line one\nline two");
        EXPECT_EQ(got[2].id, "7");
        EXPECT_EQ(got[2].data, "{\"ü\":\"ß\"}");
        EXPECT_EQ(got[3].data, "[DONE]");
    }
}

TEST(SseParser, UnterminatedLastEventIsPendingNotDispatched) {
    int n = 0;
    SseParser p([&](const SseEvent&) { ++n; });
    p.feed("data: {\"partial\":");
    EXPECT_EQ(n, 0);
    EXPECT_TRUE(p.pending());
}

TEST(LineSplitter, HandsOverWholeLinesAndTheLastOnFinish) {
    std::vector<std::string> lines;
    LineSplitter s([&](std::string_view l) { lines.emplace_back(l); });
    s.feed("{\"a\":1}\r\n{\"b\"");
    s.feed(":2}\n\n{\"c\":3}");
    EXPECT_EQ(lines.size(), 2u);
    s.finish();
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[1], "{\"b\":2}");
    EXPECT_EQ(lines[2], "{\"c\":3}");
}

TEST(ToolNameMap, ProviderNamesAreValidDistinctAndMapBack) {
    const std::string long_id = "mcp.some-very-long-server-name.with_a_really_long_tool_name_that_goes_on_and_on";
    ToolNameMap m({"tool.files.read_file", "tool_files.read_file", long_id, "mcp.x.ä-tool"});
    const std::regex openai("^[a-zA-Z0-9_-]{1,64}$");
    for (const auto& id : {std::string("tool.files.read_file"), std::string("tool_files.read_file"), long_id,
                           std::string("mcp.x.ä-tool")}) {
        const auto name = m.provider_name(id);
        ASSERT_TRUE(name.has_value()) << id;
        EXPECT_TRUE(std::regex_match(*name, openai)) << *name;
        EXPECT_EQ(m.id(*name), id) << "maps back exactly";
    }
    EXPECT_NE(*m.provider_name("tool.files.read_file"), *m.provider_name("tool_files.read_file"));
    EXPECT_EQ(m.provider_name("tool.files.read_file"), "tool_files_read_file");
    EXPECT_FALSE(m.id("made_up_tool").has_value());
}

TEST(Retry, StatusClassesAndErrorCodes) {
    EXPECT_TRUE(is_retryable_status(429));
    EXPECT_TRUE(is_retryable_status(503));
    EXPECT_FALSE(is_retryable_status(400));
    EXPECT_FALSE(is_retryable_status(401));
    EXPECT_STREQ(error_code_for_status(401), "auth");
    EXPECT_STREQ(error_code_for_status(429), "rate_limited");
    EXPECT_STREQ(error_code_for_status(502), "unavailable");
    EXPECT_STREQ(error_code_for_status(422), "bad_request");
}

TEST(Retry, RetryAfterSecondsAndHttpDate) {
    EXPECT_EQ(parse_retry_after("2")->count(), 2000);
    EXPECT_EQ(parse_retry_after(" 0.5")->count(), 500);
    const auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now)->count(), 10000);
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now)->count(), 0) << "past dates mean now";
    EXPECT_FALSE(parse_retry_after("soon").has_value());
    EXPECT_EQ(parse_retry_after_ms("1500")->count(), 1500);
}

TEST(Retry, BackoffGrowsWithJitterWithinBoundsAndHonoursTheServer) {
    RetryPolicy p;
    std::minstd_rand rng(42);
    for (int attempt = 1; attempt <= 8; ++attempt) {
        const int64_t step = std::min<int64_t>(p.cap.count(), p.base.count() << (attempt - 1));
        for (int i = 0; i < 50; ++i) {
            const auto d = backoff_delay(p, attempt, std::nullopt, rng).count();
            EXPECT_GE(d, step / 2);
            EXPECT_LE(d, step);
        }
    }
    EXPECT_EQ(backoff_delay(p, 1, milliseconds(1234), rng).count(), 1234);
}

TEST(Pricing, CostAndLongestPrefixLookup) {
    std::map<std::string, ModelInfo> table{{"gpt-4o", {"gpt-4o", 128000, 16384, {2.5, 10, 1.25, 0}}},
                                           {"gpt-4o-mini", {"gpt-4o-mini", 128000, 16384, {0.15, 0.6, 0.075, 0}}}};
    const auto m = find_model(table, "gpt-4o-mini-2024-07-18");
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->id, "gpt-4o-mini");
    EXPECT_NEAR(cost_usd({{"inputTokens", 1000000}, {"outputTokens", 500000}}, m->pricing), 0.45, 1e-9);
    EXPECT_FALSE(find_model(table, "claude-x").has_value());
}

TEST(CancelRegistry, CancelWakesASleeperAtOnce) {
    CancelRegistry r;
    auto h = r.begin("req-1");
    std::thread t([&] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); EXPECT_TRUE(r.cancel("req-1")); });
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(h->token().sleep_for(std::chrono::seconds(30)));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
    t.join();
    EXPECT_TRUE(h->token().cancelled());
    EXPECT_FALSE(r.cancel("unknown"));
    h.reset();
    EXPECT_FALSE(r.cancel("req-1")) << "a finished call is no longer registered";
}
