// The client against the scripted server on 127.0.0.1 (plain HTTP).
#include "net/http_client.hpp"

#include "support/scripted_http_server.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace cowork::kernel;
using namespace cowork::kernel::net;
using cowork::testing::RecordedRequest;
using cowork::testing::ScriptedResponse;
using cowork::testing::ScriptedServer;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

ScriptedResponse text(int status, std::vector<std::string> chunks, bool chunked = false) {
    ScriptedResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "text/plain"}};
    r.chunks = std::move(chunks);
    r.chunked = chunked;
    return r;
}

HttpRequest get(const ScriptedServer& s, const std::string& path) {
    HttpRequest r;
    r.url = s.base_url() + path;
    return r;
}

std::chrono::milliseconds since(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t);
}

}  // namespace

TEST(HttpClient, GetRoundTripWithHeaders) {
    ScriptedServer server;
    auto resp = text(200, {"hello ", "world"});
    resp.headers.push_back({"X-Reply", "yes"});
    server.enqueue(resp);
    HttpClient client;
    auto req = get(server, "/greet?x=1");
    req.headers = {{"X-Custom", "abc"}, {"Connection", "keep-alive"}};
    auto r = client.fetch(req);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello world");
    EXPECT_EQ(r->headers["x-reply"], "yes");
    EXPECT_EQ(r->bytes, 11u);
    const auto seen = server.requests();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method, "GET");
    EXPECT_EQ(seen[0].target, "/greet?x=1");
    EXPECT_EQ(seen[0].headers.at("x-custom"), "abc");
    EXPECT_EQ(seen[0].headers.at("host"), "127.0.0.1:" + std::to_string(server.port()));
    EXPECT_EQ(seen[0].headers.at("connection"), "close");  // framing headers are ours, not the caller's
}

TEST(HttpClient, PostSendsBodyAndRoutesAnswer) {
    ScriptedServer server;
    server.route("POST", "/echo", [](const RecordedRequest& r) { return text(201, {"got:" + r.body}); });
    HttpClient client;
    auto req = get(server, "/echo");
    req.method = "POST";
    req.body = R"({"a":1})";
    req.headers = {{"Content-Type", "application/json"}};
    auto r = client.fetch(req);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->body, R"(got:{"a":1})");
    EXPECT_EQ(server.requests().at(0).headers.at("content-length"), "7");
}

TEST(HttpClient, NonSuccessStatusIsAResponseNotAnError) {
    ScriptedServer server;  // nothing queued: 404 with a JSON body
    HttpClient client;
    auto r = client.fetch(get(server, "/missing"));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 404);
    EXPECT_NE(r->body.find("/missing"), std::string::npos);
}

TEST(HttpClient, ChunkedBodyStreamsIncrementally) {
    ScriptedServer server;
    auto resp = text(200, {"one;", "two;", "three;"}, true);
    resp.delay_between = 400ms;
    server.enqueue(resp);
    HttpClient client;
    std::vector<std::string> pieces;
    Clock::time_point first{};
    const auto start = Clock::now();
    auto r = client.fetch(get(server, "/stream"), [&](std::string_view chunk) {
        if (pieces.empty()) first = Clock::now();
        pieces.emplace_back(chunk);
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
    const auto total = since(start);
    std::string joined;
    for (const auto& p : pieces) joined += p;
    EXPECT_EQ(joined, "one;two;three;");
    EXPECT_TRUE(r->body.empty());  // streamed, not collected
    EXPECT_EQ(r->bytes, 14u);
    EXPECT_GE(pieces.size(), 3u);
    // The first piece arrived before the server even wrote the last one.
    EXPECT_GE((total - std::chrono::duration_cast<std::chrono::milliseconds>(first - start)).count(), 300);
}

TEST(HttpClient, SseBytesPassThroughIntact) {
    ScriptedServer server;
    const std::vector<std::string> events = {"data: {\"delta\":\"Hel\"}\n\n", "data: {\"delta\":\"lo \xE4\xB8\xAD\"}\n\n",
                                             ": keep-alive\n\n", "event: done\ndata: [DONE]\n\n"};
    auto resp = text(200, events, true);
    resp.headers = {{"Content-Type", "text/event-stream"}};
    resp.delay_between = 20ms;
    server.enqueue(resp);
    HttpClient client;
    std::string got;
    auto r = client.fetch(get(server, "/sse"), [&](std::string_view c) { got += c; });
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->headers["content-type"], "text/event-stream");
    EXPECT_EQ(got, events[0] + events[1] + events[2] + events[3]);
}

TEST(HttpClient, ServerClosingMidBodyIsAProtocolError) {
    for (bool chunked : {false, true}) {
        ScriptedServer server;
        auto resp = text(200, {"partial", "never sent"}, chunked);
        resp.close_mid_body = true;
        server.enqueue(resp);
        HttpClient client;
        auto r = client.fetch(get(server, "/cut"));
        ASSERT_FALSE(r.ok()) << "chunked=" << chunked;
        EXPECT_EQ(r.error().code, "protocol") << r.error().message;
        EXPECT_NE(r.error().message.find("before the response was complete"), std::string::npos) << r.error().message;
    }
}

TEST(HttpClient, MalformedResponseIsAProtocolError) {
    ScriptedServer server;
    ScriptedResponse raw;
    raw.raw = "HTTP/1.1 abc nonsense\r\n\r\n";
    server.enqueue(raw);
    HttpClient client;
    auto r = client.fetch(get(server, "/"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "protocol");
}

TEST(HttpClient, TricklePastIdleTimeoutTimesOut) {
    ScriptedServer server;
    auto resp = text(200, {"a", "b"}, true);
    resp.delay_between = 3000ms;
    server.enqueue(resp);
    HttpClient client;
    auto req = get(server, "/slow");
    req.idle_timeout = 300ms;
    const auto start = Clock::now();
    auto r = client.fetch(req, [](std::string_view) {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "timeout");
    EXPECT_NE(r.error().message.find("idleTimeoutMs"), std::string::npos) << r.error().message;
    EXPECT_LT(since(start).count(), 2500);
}

TEST(HttpClient, SteadyTrickleStillEndsAtTheOverallTimeout) {
    ScriptedServer server;
    auto resp = text(200, std::vector<std::string>(100, "x"), true);
    resp.delay_between = 50ms;  // never idle, never done within the deadline
    server.enqueue(resp);
    HttpClient client;
    auto req = get(server, "/drip");
    req.timeout = 600ms;
    req.idle_timeout = 2000ms;
    const auto start = Clock::now();
    auto r = client.fetch(req, [](std::string_view) {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "timeout");
    EXPECT_NE(r.error().message.find("timeoutMs"), std::string::npos) << r.error().message;
    EXPECT_LT(since(start).count(), 3000);
}

TEST(HttpClient, CancelFromAnotherThreadStopsAStreamPromptly) {
    ScriptedServer server;
    auto resp = text(200, std::vector<std::string>(50, "tick;"), true);
    resp.delay_between = 200ms;  // 10 s if left alone
    server.enqueue(resp);
    HttpClient client;
    auto req = get(server, "/ticks");
    req.request_id = "req-7";
    std::thread canceller;
    const auto start = Clock::now();
    auto r = client.fetch(req, [&](std::string_view) {
        if (!canceller.joinable()) canceller = std::thread([&] {
            std::this_thread::sleep_for(50ms);
            EXPECT_TRUE(client.cancel("req-7"));
        });
    });
    canceller.join();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "cancelled");
    EXPECT_LT(since(start).count(), 3000);
    EXPECT_FALSE(client.cancel("req-7"));  // no longer running
}

TEST(HttpClient, CancelThatOvertakesItsRequestStillApplies) {
    ScriptedServer server;
    server.enqueue(text(200, {"never fetched"}));
    HttpClient client;
    EXPECT_FALSE(client.cancel("early-1"));  // nothing running yet
    auto req = get(server, "/");
    req.request_id = "early-1";
    auto r = client.fetch(req);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "cancelled");
    req.request_id = "other";
    EXPECT_TRUE(client.fetch(req).ok());  // only that id was affected
}

TEST(HttpClient, BodyOverMaxBytesIsTooLarge) {
    ScriptedServer server;
    server.enqueue(text(200, {std::string(5000, 'a')}));           // Content-Length says it up front
    server.enqueue(text(200, {std::string(3000, 'b'), std::string(3000, 'c')}, true));  // only counting tells
    HttpClient client;
    auto req = get(server, "/big");
    req.max_bytes = 4096;
    for (int i = 0; i < 2; ++i) {
        auto r = client.fetch(req);
        ASSERT_FALSE(r.ok()) << i;
        EXPECT_EQ(r.error().code, "too_large") << r.error().message;
        EXPECT_NE(r.error().message.find("maxBytes=4096"), std::string::npos);
    }
}

TEST(HttpClient, RefusedConnectionIsAConnectError) {
    uint16_t port;
    {
        ScriptedServer gone;
        port = gone.port();
    }
    HttpClient client;
    HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
    auto r = client.fetch(req);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "connect");
    EXPECT_NE(r.error().message.find("is the server running"), std::string::npos) << r.error().message;
}

TEST(HttpClient, AddressFilterRefusesBeforeConnecting) {
    ScriptedServer server;
    HttpClient client(ClientOptions{.filter = ssrf_filter(false)});
    auto r = client.fetch(get(server, "/"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "denied");
    EXPECT_NE(r.error().message.find("loopback"), std::string::npos) << r.error().message;
    EXPECT_EQ(server.connections(), 0u);
}

TEST(HttpClient, RedirectsAreOffByDefaultAndGuardedWhenFollowed) {
    ScriptedServer server;
    ScriptedResponse moved = text(302, {});
    moved.headers.push_back({"Location", "/final"});
    server.route("GET", "/start", [&](const RecordedRequest&) { return moved; });
    server.route("GET", "/final", [](const RecordedRequest&) { return text(200, {"landed"}); });
    std::vector<std::string> guarded;
    HttpClient client(ClientOptions{.guard = [&](const Url& u) -> Status {
        guarded.push_back(u.target);
        if (u.target == "/final" && guarded.size() > 3) return make_error("denied", "not there");
        return ok_status();
    }});
    auto plain = client.fetch(get(server, "/start"));
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain->status, 302);
    auto req = get(server, "/start");
    req.max_redirects = 3;
    auto followed = client.fetch(req);
    ASSERT_TRUE(followed.ok()) << followed.error().message;
    EXPECT_EQ(followed->body, "landed");
    EXPECT_EQ(followed->url, server.base_url() + "/final");
    EXPECT_EQ(guarded, (std::vector<std::string>{"/start", "/start", "/final"}));  // every hop checked
    auto refused = client.fetch(req);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "denied");
}

TEST(HttpClient, RejectsHeaderInjection) {
    ScriptedServer server;
    HttpClient client;
    auto req = get(server, "/");
    req.headers = {{"X-A", "1\r\nX-Injected: 1"}};
    auto r = client.fetch(req);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "invalid");
    EXPECT_TRUE(server.requests().empty());
}
