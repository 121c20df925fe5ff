// ProviderCall against a scripted cowork.http/1 (no sockets): what it sends,
// which failures it retries and how it reports the rest, cancellation.
#include "llm_test_host.hpp"
#include "provider_call.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace cowork::llm_common {
namespace {

using llm_testing::FakeHttp;
using llm_testing::FakeReply;
using llm_testing::TestHost;

struct Fixture : ::testing::Test {
    TestHost test_host{"llm.test"};
    FakeHttp http;
    sdk::Host host{test_host.raw()};
    sdk::llm::CancelRegistry cancels;
    std::vector<Json> events;
    std::mutex events_mutex;
    sdk::Collector collector{[this](std::string_view e) {
        std::lock_guard lock(events_mutex);
        events.push_back(Json::parse(e));
    }};
    sdk::Events sink{collector.sink()};

    Fixture() { test_host.set_http(http.table()); }

    static sdk::llm::RetryPolicy fast() {
        sdk::llm::RetryPolicy p;
        p.base = std::chrono::milliseconds(1);
        p.cap = std::chrono::milliseconds(2);
        return p;
    }
    static ProviderRequest post(std::string id = "r1") {
        ProviderRequest r;
        r.request_id = std::move(id);
        r.url = "http://127.0.0.1:9/v1/chat/completions";
        r.headers = {{"authorization", "Bearer k"}};
        r.body = {{"model", "m"}};
        return r;
    }
    // Runs and returns the thrown error's code ("" when it succeeded).
    std::string error_code_of(ProviderCall& call, const ProviderRequest& r, const ChunkSink& s = {}) {
        try {
            call.run(r, sink, s);
        } catch (const sdk::Error& e) {
            last_message = e.what();
            return e.code();
        }
        return "";
    }
    std::string last_message;
};

TEST_F(Fixture, SendsTheRequestAndStreamsTwoXxChunksToTheSink) {
    http.enqueue({200, {{"content-type", "text/event-stream"}}, {"ab", "cd"}});
    ProviderCall call(host, cancels, fast());
    std::string got;
    const auto response = call.run(post(), sink, [&](std::string_view c) {
        got += c;
        return true;
    });
    EXPECT_EQ(got, "abcd");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.attempts, 1);
    ASSERT_EQ(http.requests().size(), 1u);
    const Json sent = http.requests()[0];
    EXPECT_EQ(sent["method"], "POST");
    EXPECT_EQ(sent["requestId"], "r1");
    EXPECT_EQ(sent["url"], "http://127.0.0.1:9/v1/chat/completions");
    EXPECT_EQ(sent["stream"], true);
    EXPECT_EQ(sent["headers"]["content-type"], "application/json");
    EXPECT_EQ(sent["headers"]["authorization"], "Bearer k");
    EXPECT_EQ(Json::parse(sent["body"].get<std::string>()), Json({{"model", "m"}}));
}

TEST_F(Fixture, WithoutAHeadEventTheBodyIsHeldUntilTheStatusIsKnown) {
    FakeReply ok{200, {}, {"ab", "cd"}};
    ok.head_event = false;
    http.enqueue(ok);
    FakeReply denied{401, {}, {R"({"error":{"message":"bad key"}})"}};
    denied.head_event = false;
    http.enqueue(denied);
    ProviderCall call(host, cancels, fast());
    std::string got;
    const ChunkSink sink_fn = [&](std::string_view c) {
        got += c;
        return true;
    };
    call.run(post(), sink, sink_fn);
    EXPECT_EQ(got, "abcd");
    got.clear();
    EXPECT_EQ(error_code_of(call, post(), sink_fn), "auth");
    EXPECT_EQ(got, "");  // an error body never reaches the stream parser
    EXPECT_NE(last_message.find("bad key"), std::string::npos);
}

TEST_F(Fixture, NonStreamedCallReturnsTheWholeBody) {
    http.enqueue({200, {}, {"{\"models\":", "[]}"}});
    ProviderCall call(host, cancels, fast());
    ProviderRequest r = post();
    r.stream = false;
    r.method = "GET";
    r.body = nullptr;
    const auto response = call.run(r, sink, {});
    EXPECT_EQ(response.body, "{\"models\":[]}");
    const Json sent = http.requests().at(0);
    EXPECT_EQ(sent["stream"], false);
    EXPECT_EQ(sent["method"], "GET");
    EXPECT_FALSE(sent.contains("body"));
    EXPECT_FALSE(sent["headers"].contains("content-type"));
}

TEST_F(Fixture, RetriesA429HonouringRetryAfterMsAndAnnouncesIt) {
    http.enqueue({429, {{"retry-after-ms", "15"}}, {R"({"error":{"message":"slow down"}})"}});
    http.enqueue({200, {}, {"ok"}});
    ProviderCall call(host, cancels, fast());
    std::vector<int> attempts_seen;
    std::string got;
    const auto response = call.run(
        post(), sink,
        [&](std::string_view c) {
            got += c;
            return true;
        },
        [&](int attempt) { attempts_seen.push_back(attempt); });
    EXPECT_EQ(response.attempts, 2);
    EXPECT_EQ(got, "ok");  // the 429's body never reached the stream sink
    EXPECT_EQ(attempts_seen, (std::vector<int>{1, 2}));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["type"], "retry");
    EXPECT_EQ(events[0]["attempt"], 2);
    EXPECT_EQ(events[0]["delayMs"], 15);
    EXPECT_EQ(events[0]["reason"], "HTTP 429");
}

TEST_F(Fixture, FiveHundredsExhaustTheRetriesAsUnavailable) {
    for (int i = 0; i < 4; ++i) http.enqueue({500, {}, {R"({"error":{"message":"overloaded"}})"}});
    ProviderCall call(host, cancels, fast());
    EXPECT_EQ(error_code_of(call, post()), "unavailable");
    EXPECT_NE(last_message.find("overloaded"), std::string::npos);
    EXPECT_NE(last_message.find("after 4 attempts"), std::string::npos);
    EXPECT_EQ(http.requests().size(), 4u);
    EXPECT_EQ(events.size(), 3u);
}

TEST_F(Fixture, UnauthorizedIsAuthWithTheProviderMessageAndNoRetry) {
    http.enqueue({401, {}, {R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})"}});
    ProviderCall call(host, cancels, fast());
    EXPECT_EQ(error_code_of(call, post()), "auth");
    EXPECT_NE(last_message.find("Incorrect API key provided"), std::string::npos);
    EXPECT_EQ(http.requests().size(), 1u);
    EXPECT_TRUE(events.empty());
}

TEST_F(Fixture, BadRequestKeepsOllamaStyleStringErrors) {
    http.enqueue({404, {}, {R"({"error":"model 'nope' not found"})"}});
    ProviderCall call(host, cancels, fast());
    EXPECT_EQ(error_code_of(call, post()), "bad_request");
    EXPECT_NE(last_message.find("model 'nope' not found"), std::string::npos);
}

TEST_F(Fixture, ConnectFailureIsRetried) {
    FakeReply refused;
    refused.error_code = "connect";
    http.enqueue(refused);
    http.enqueue({200, {}, {"x"}});
    ProviderCall call(host, cancels, fast());
    const auto response = call.run(post(), sink, [](std::string_view) { return false; });
    EXPECT_EQ(response.attempts, 2);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_NE(events[0]["reason"].get<std::string>().find("scripted connect"), std::string::npos);
}

TEST_F(Fixture, BrokenStreamAfterEmittedContentIsNotRetried) {
    FakeReply broken{200, {}, {"partial"}};
    broken.error_code = "protocol";
    http.enqueue(broken);
    http.enqueue({200, {}, {"never"}});
    ProviderCall call(host, cancels, fast());
    EXPECT_EQ(error_code_of(call, post(), [](std::string_view) { return true; }), "unavailable");
    EXPECT_EQ(http.requests().size(), 1u);
}

TEST_F(Fixture, BrokenStreamBeforeAnyContentIsRetried) {
    FakeReply broken{200, {}, {"data: {\"cho"}};
    broken.error_code = "protocol";
    http.enqueue(broken);
    http.enqueue({200, {}, {"whole"}});
    ProviderCall call(host, cancels, fast());
    std::string got;
    call.run(post(), sink, [&](std::string_view c) {
        got += c;
        return false;
    }, [&](int) { got.clear(); });
    EXPECT_EQ(got, "whole");  // the first attempt's leftovers were dropped
}

TEST_F(Fixture, AnErrorThrownByTheSinkComesBackAsItself) {
    http.enqueue({200, {}, {"bad", "more"}});
    ProviderCall call(host, cancels, fast());
    int calls = 0;
    EXPECT_EQ(error_code_of(call, post(),
                            [&](std::string_view) -> bool {
                                ++calls;
                                throw sdk::Error(COWORK_E_FAILED, "malformed", "not JSON: bad");
                            }),
              "malformed");
    EXPECT_EQ(calls, 1);  // the rest of the body was ignored
    EXPECT_EQ(last_message, "not JSON: bad");
}

TEST_F(Fixture, RetryAfterBeyondTheLimitFailsAsRateLimited) {
    http.enqueue({429, {{"retry-after", "3600"}}, {R"({"error":{"message":"quota"}})"}});
    ProviderCall call(host, cancels, fast());
    EXPECT_EQ(error_code_of(call, post()), "rate_limited");
    EXPECT_NE(last_message.find("3600 s"), std::string::npos);
}

TEST_F(Fixture, CancelAbortsARequestOnTheWire) {
    FakeReply hanging{200, {}, {"data: x\n\n"}};
    hanging.block_until_cancelled = true;
    http.enqueue(hanging);
    ProviderCall call(host, cancels, fast());
    auto running = std::async(std::launch::async, [&] { return error_code_of(call, post("job-7")); });
    http.wait_blocked();
    EXPECT_FALSE(ProviderCall::cancel(host, cancels, "other"));
    EXPECT_TRUE(ProviderCall::cancel(host, cancels, "job-7"));
    EXPECT_EQ(running.get(), "cancelled");
}

TEST_F(Fixture, CancelWakesABackoffSleep) {
    http.enqueue({503, {{"retry-after", "100"}}, {}});
    sdk::llm::RetryPolicy slow = fast();
    slow.max_server_wait = std::chrono::hours(1);
    ProviderCall call(host, cancels, slow);
    auto running = std::async(std::launch::async, [&] { return error_code_of(call, post("job-8")); });
    // Wait until the call is sleeping (its retry event was emitted).
    for (;;) {
        {
            std::lock_guard lock(events_mutex);
            if (!events.empty()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_TRUE(ProviderCall::cancel(host, cancels, "job-8"));
    EXPECT_EQ(running.get(), "cancelled");
    EXPECT_EQ(http.requests().size(), 1u);
}

TEST(ProviderCallErrorMessage, ReadsTheCommonShapes) {
    EXPECT_EQ(ProviderCall::error_message(R"({"error":{"message":"a","type":"t"}})"), "a");
    EXPECT_EQ(ProviderCall::error_message(R"({"error":"b"})"), "b");
    EXPECT_EQ(ProviderCall::error_message(R"({"message":"c"})"), "c");
    EXPECT_EQ(ProviderCall::error_message("plain text"), "plain text");
    EXPECT_EQ(ProviderCall::error_message(std::string(600, 'x')).size(), 500u + std::string("…").size());
}

}  // namespace
}  // namespace cowork::llm_common
