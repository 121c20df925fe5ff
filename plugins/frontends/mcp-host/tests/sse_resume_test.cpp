// Resumable SSE against a real coworkd (MCP 2025-11-25 "Resumability and
// redelivery", SEP-1699 polling): priming event and retry first, the POST
// stream closed while a slow tool runs, the rest (and the response) on a GET
// with Last-Event-ID — and nobody else's Last-Event-ID accepted.
#include "http_client.hpp"
#include "mcp_daemon.hpp"

#include <gtest/gtest.h>

#include <sstream>

using mcp_test::McpDaemon;
using mcp_test::Response;
using Json = nlohmann::json;

namespace {

struct SseEvent {
    std::string id;
    std::string retry;
    bool has_data = false;
    std::string data;
};

// The SSE fields of a body, one entry per blank-line-terminated block
// (comment-only blocks such as keepalives are skipped).
std::vector<SseEvent> sse_events(const std::string& body) {
    std::vector<SseEvent> out;
    SseEvent cur;
    bool any = false;
    std::istringstream in(body);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) {
            if (any) out.push_back(cur);
            cur = {};
            any = false;
            continue;
        }
        if (line[0] == ':') continue;
        const auto colon = line.find(':');
        const std::string field = line.substr(0, colon);
        std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        if (field == "id") cur.id = value, any = true;
        else if (field == "retry") cur.retry = value, any = true;
        else if (field == "data") cur.data = value, cur.has_data = true, any = true;
        else if (field == "event") any = true;
    }
    return out;
}

// A session over raw HTTP that negotiated `version`.
struct Session {
    unsigned short port;
    std::string id;

    Session(unsigned short p, const std::string& version) : port(p) {
        const Json init{{"jsonrpc", "2.0"}, {"id", 0}, {"method", "initialize"},
                        {"params", {{"protocolVersion", version}, {"capabilities", Json::object()},
                                    {"clientInfo", {{"name", "sse-resume-test"}, {"version", "1"}}}}}};
        id = mcp_test::request(port, "POST", "/mcp", headers(false), init.dump()).header("mcp-session-id");
        if (!id.empty())
            mcp_test::request(port, "POST", "/mcp", headers(false), Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}.dump());
    }
    std::map<std::string, std::string> headers(bool sse) const {
        std::map<std::string, std::string> h{{"Content-Type", "application/json"},
                                             {"Accept", sse ? "application/json, text/event-stream" : "application/json"},
                                             {"Authorization", std::string("Bearer ") + McpDaemon::kOperatorToken}};
        if (!id.empty()) h["Mcp-Session-Id"] = id;
        return h;
    }
    Response call_tool(const std::string& name, int rpc_id = 1) const {
        const Json req{{"jsonrpc", "2.0"}, {"id", rpc_id}, {"method", "tools/call"}, {"params", {{"name", name}, {"arguments", Json::object()}}}};
        return mcp_test::request(port, "POST", "/mcp", headers(true), req.dump());
    }
    Response resume(const std::string& last_event_id) const {
        auto h = headers(false);
        h["Accept"] = "text/event-stream";
        h["Last-Event-ID"] = last_event_id;
        return mcp_test::request(port, "GET", "/mcp", h);
    }
};

std::string last_id(const std::vector<SseEvent>& events) {
    std::string last;
    for (const auto& e : events)
        if (!e.id.empty()) last = e.id;
    return last;
}

bool is_response(const SseEvent& e, int id) {
    const Json j = Json::parse(e.data, nullptr, false);
    return j.is_object() && j.value("id", -1) == id && (j.contains("result") || j.contains("error"));
}

}  // namespace

TEST(McpSseResume, PostStreamIsPrimedClosedWhileTheToolRunsAndResumedWithLastEventId) {
    McpDaemon d;  // sse_poll_after_ms = 300; test_reconnection takes 1.5 s
    ASSERT_TRUE(d.ok());
    Session s(d.port(), "2025-11-25");
    ASSERT_FALSE(s.id.empty());

    const Response post = s.call_tool("test_reconnection");
    ASSERT_EQ(post.status, 200) << post.body;
    ASSERT_TRUE(post.is_sse());
    const auto first = sse_events(post.body);
    ASSERT_FALSE(first.empty()) << post.body;
    EXPECT_FALSE(first[0].id.empty()) << "priming event first: an id ...";
    EXPECT_TRUE(first[0].has_data && first[0].data.empty()) << "... and empty data";
    EXPECT_EQ(first[0].retry, "1000") << "retry (sse_retry_ms) on the priming event";
    for (const auto& e : first) EXPECT_FALSE(is_response(e, 1)) << "the stream was closed before the result: " << post.body;

    const std::string last = last_id(first);
    const Response get = s.resume(last);
    ASSERT_EQ(get.status, 200) << get.body;
    ASSERT_TRUE(get.is_sse());
    const auto rest = sse_events(get.body);
    ASSERT_EQ(rest.size(), 1u) << "exactly the missing event: the response — " << get.body;
    EXPECT_TRUE(is_response(rest[0], 1)) << get.body;
    EXPECT_FALSE(rest[0].id.empty());
    EXPECT_NE(rest[0].id, last);
    const Json result = Json::parse(rest[0].data);
    EXPECT_EQ(result["result"]["content"][0]["text"], "Reconnection test completed") << get.body;
    // Same stream: the part before the last dash (tag and stream) matches.
    EXPECT_EQ(rest[0].id.substr(0, rest[0].id.rfind('-')), last.substr(0, last.rfind('-')));
}

TEST(McpSseResume, ReplayFromAnyEventGivesExactlyTheEventsAfterIt) {
    McpDaemon d(Json{{"sse_poll_after_ms", 50}});  // test_tool_with_logging takes >= 150 ms
    ASSERT_TRUE(d.ok());
    Session s(d.port(), "2025-11-25");
    ASSERT_FALSE(s.id.empty());
    const Response post = s.call_tool("test_tool_with_logging");
    ASSERT_EQ(post.status, 200) << post.body;
    const auto on_post = sse_events(post.body);
    ASSERT_FALSE(on_post.empty());
    for (const auto& e : on_post) EXPECT_FALSE(is_response(e, 1)) << post.body;

    // Whatever reached the POST, the GET brings the rest: three logs and the response in all.
    const Response get = s.resume(last_id(on_post));
    ASSERT_EQ(get.status, 200) << get.body;
    std::vector<SseEvent> all;
    for (const auto& e : on_post)
        if (!e.data.empty()) all.push_back(e);
    for (const auto& e : sse_events(get.body)) all.push_back(e);
    ASSERT_EQ(all.size(), 4u) << post.body << "\n---\n" << get.body;
    for (int i = 0; i < 3; ++i) EXPECT_EQ(Json::parse(all[i].data)["method"], "notifications/message") << all[i].data;
    EXPECT_TRUE(is_response(all[3], 1));

    // From the priming id: everything; from the first log: exactly the two logs after it and the response.
    const auto from_start = sse_events(s.resume(on_post.front().id).body);
    ASSERT_EQ(from_start.size(), 4u);
    const auto from_first = sse_events(s.resume(from_start[0].id).body);
    ASSERT_EQ(from_first.size(), 3u);
    EXPECT_EQ(from_first[0].id, from_start[1].id);
    EXPECT_EQ(from_first[2].id, from_start[3].id);
    EXPECT_TRUE(is_response(from_first[2], 1));
}

TEST(McpSseResume, LastEventIdOfAnotherSessionOrStreamIsRefused) {
    McpDaemon d;
    ASSERT_TRUE(d.ok());
    Session a(d.port(), "2025-11-25"), b(d.port(), "2025-11-25");
    ASSERT_FALSE(a.id.empty());
    ASSERT_FALSE(b.id.empty());
    const auto a_events = sse_events(a.call_tool("test_simple_text").body);
    ASSERT_GE(a_events.size(), 2u);
    const std::string a_id = a_events.back().id;

    const Response foreign = b.resume(a_id);
    EXPECT_EQ(foreign.status, 400) << foreign.body;
    EXPECT_NE(foreign.body.find("names no stream of this session"), std::string::npos) << foreign.body;
    EXPECT_EQ(foreign.body.find("simple text"), std::string::npos) << "never someone else's events";

    const std::string tag = a_id.substr(0, a_id.find('-'));
    EXPECT_EQ(a.resume(tag + "-4242-1").status, 400) << "a stream this session never had";
    EXPECT_EQ(a.resume("garbage").status, 400);
    // Its own id still works: the finished stream replays nothing after its last event and ends.
    const Response own = a.resume(a_id);
    EXPECT_EQ(own.status, 200);
    EXPECT_TRUE(sse_events(own.body).empty()) << own.body;
}

TEST(McpSseResume, SessionsBefore2025_11_25GetIdsButNoPrimingAndNoPolling) {
    McpDaemon d(Json{{"sse_poll_after_ms", 50}});
    ASSERT_TRUE(d.ok());
    Session s(d.port(), "2025-06-18");
    ASSERT_FALSE(s.id.empty());
    const Response post = s.call_tool("test_tool_with_logging");
    const auto events = sse_events(post.body);
    ASSERT_EQ(events.size(), 4u) << "three logs and the response on the POST itself: " << post.body;
    for (const auto& e : events) {
        EXPECT_TRUE(e.has_data && !e.data.empty()) << "no empty-data priming event for older clients";
        EXPECT_FALSE(e.id.empty());
    }
    EXPECT_TRUE(is_response(events.back(), 1));
}

TEST(McpSseResume, ReplayBufferIsBoundedPerSession) {
    McpDaemon d(Json{{"sse_poll_after_ms", 50}, {"sse_replay_events", 2}});
    ASSERT_TRUE(d.ok());
    Session s(d.port(), "2025-11-25");
    ASSERT_FALSE(s.id.empty());
    const auto on_post = sse_events(s.call_tool("test_tool_with_logging").body);
    ASSERT_FALSE(on_post.empty());
    // A resume while the call runs may still catch everything live (then the
    // call is over afterwards); once three logs and the response are stored
    // and only the last two kept, a resume from the priming id is a gap: refused.
    Response r = s.resume(on_post.front().id);
    if (r.status == 200) {
        EXPECT_EQ(sse_events(r.body).size(), 4u) << r.body;
        r = s.resume(on_post.front().id);
    }
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("were dropped"), std::string::npos) << r.body;
}

TEST(McpSseResume, GetStreamIsPrimedToo) {
    McpDaemon d;
    ASSERT_TRUE(d.ok());
    Session s(d.port(), "2025-11-25");
    ASSERT_FALSE(s.id.empty());
    auto h = s.headers(false);
    h["Accept"] = "text/event-stream";
    mcp_test::SseStream stream(d.port(), h);
    ASSERT_EQ(stream.head().status, 200);
    // Ending the session ends the stream, so its whole body can be read.
    ASSERT_EQ(mcp_test::request(d.port(), "DELETE", "/mcp", s.headers(false)).status, 200);
    const auto events = sse_events(stream.rest().body);
    ASSERT_FALSE(events.empty());
    EXPECT_FALSE(events[0].id.empty());
    EXPECT_EQ(events[0].retry, "1000");
    EXPECT_TRUE(events[0].has_data && events[0].data.empty());
    // Its id resumes nothing once the session is gone: 404, as for any request of an ended session.
    EXPECT_EQ(s.resume(events[0].id).status, 404);
}
