// EventStore: ids, replay after Last-Event-ID, the per-session bounds, and
// ids that are not this session's.
#include "event_store.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using cowork::mcp::EventStore;
using cowork::mcp::EventStoreLimits;
using cowork::mcp::Json;

namespace {

// What a writer received: SSE texts and whether it was ended.
struct Sink {
    std::vector<std::string> events;
    bool ended = false;
    EventStore::Writer writer() {
        return [this](const std::string& sse, bool end) {
            if (end) ended = true;
            else events.push_back(sse);
        };
    }
    std::string id(size_t i) const {
        const std::string& e = events.at(i);
        return e.substr(4, e.find('\n') - 4);  // "id: <id>\n..."
    }
    Json data(size_t i) const {
        const std::string& e = events.at(i);
        return Json::parse(e.substr(e.find("data: ") + 6), nullptr, false);
    }
};

Json note(int n) { return {{"jsonrpc", "2.0"}, {"method", "notifications/message"}, {"params", {{"n", n}}}}; }

}  // namespace

TEST(McpEventStore, EventsCarryUniqueIdsNamingTheirStream) {
    EventStore store;
    Sink a, b;
    const auto sa = store.open(a.writer(), true);
    const auto sb = store.open(b.writer(), true);
    store.send(sa.stream, note(1));
    store.send(sb.stream, note(2));
    store.send(sa.stream, note(3));
    ASSERT_EQ(a.events.size(), 2u);
    ASSERT_EQ(b.events.size(), 1u);
    EXPECT_EQ(a.data(1)["params"]["n"], 3);
    EXPECT_NE(a.id(0), a.id(1));
    EXPECT_NE(a.id(0), b.id(0));
    EXPECT_NE(sa.priming_id, sb.priming_id);
    EXPECT_NE(a.events[0].find("event: message\n"), std::string::npos);
}

TEST(McpEventStore, ResumeReplaysOnlyThatStreamsLaterEventsThenEndsAFinishedStream) {
    EventStore store;
    Sink post, other;
    const auto s = store.open(post.writer(), true);
    const auto o = store.open(other.writer(), true);
    ASSERT_TRUE(store.detach(s.stream, s.writer)) << "polling closes the POST stream";
    store.send(s.stream, note(1));
    store.send(o.stream, note(99));
    store.send(s.stream, note(2));
    store.finish(s.stream, {{"jsonrpc", "2.0"}, {"id", 1}, {"result", Json::object()}});
    EXPECT_TRUE(post.events.empty()) << "detached: nothing goes to the old connection";
    EXPECT_FALSE(post.ended);

    Sink get;
    const auto r = store.resume(s.priming_id, get.writer());
    ASSERT_EQ(r.status, EventStore::Resume::ok);
    EXPECT_TRUE(r.request_stream);
    ASSERT_EQ(get.events.size(), 3u);
    EXPECT_EQ(get.data(0)["params"]["n"], 1);
    EXPECT_EQ(get.data(1)["params"]["n"], 2);
    EXPECT_EQ(get.data(2)["id"], 1);
    EXPECT_TRUE(get.ended) << "the response was delivered: the stream ends";

    Sink again;  // from the middle: exactly what follows
    ASSERT_EQ(store.resume(get.id(0), again.writer()).status, EventStore::Resume::ok);
    ASSERT_EQ(again.events.size(), 2u);
    EXPECT_EQ(again.id(0), get.id(1));
    EXPECT_TRUE(again.ended);
}

TEST(McpEventStore, ResumeOfARunningStreamTakesItOver) {
    EventStore store;
    Sink first, second;
    const auto s = store.open(first.writer(), true);
    store.send(s.stream, note(1));
    const auto r = store.resume(first.id(0), second.writer());
    ASSERT_EQ(r.status, EventStore::Resume::ok);
    EXPECT_TRUE(first.ended) << "the abandoned connection is ended";
    EXPECT_TRUE(second.events.empty());
    EXPECT_FALSE(store.detach(s.stream, s.writer)) << "the old writer no longer owns the stream";
    store.send(s.stream, note(2));
    store.finish(s.stream, nullptr);
    ASSERT_EQ(second.events.size(), 1u);
    EXPECT_EQ(second.data(0)["params"]["n"], 2);
    EXPECT_TRUE(second.ended);
    EXPECT_EQ(first.events.size(), 1u);
}

TEST(McpEventStore, IdsOfAnotherSessionOrUnknownStreamsAreRefused) {
    EventStore mine, theirs;
    Sink m, t;
    const auto ms = mine.open(m.writer(), true);
    const auto ts = theirs.open(t.writer(), true);
    theirs.send(ts.stream, note(1));
    Sink probe;
    EXPECT_EQ(mine.resume(ts.priming_id, probe.writer()).status, EventStore::Resume::unknown);
    EXPECT_EQ(mine.resume(t.id(0), probe.writer()).status, EventStore::Resume::unknown);
    // Same tag, a stream that does not exist, a seq never issued, garbage.
    const std::string tag = ms.priming_id.substr(0, ms.priming_id.find('-'));
    EXPECT_EQ(mine.resume(tag + "-999-1", probe.writer()).status, EventStore::Resume::unknown);
    EXPECT_EQ(mine.resume(tag + "-" + std::to_string(ms.stream) + "-999999", probe.writer()).status, EventStore::Resume::unknown);
    EXPECT_EQ(mine.resume("not-an-id", probe.writer()).status, EventStore::Resume::unknown);
    EXPECT_EQ(mine.resume("", probe.writer()).status, EventStore::Resume::unknown);
    EXPECT_TRUE(probe.events.empty());
    EXPECT_FALSE(probe.ended);
}

TEST(McpEventStore, BoundedByEventCountOldestFirstAndAGapIsRefused) {
    EventStore store;
    store.set_limits({4, 1 << 20});
    Sink w;
    const auto s = store.open(w.writer(), true);
    for (int n = 1; n <= 10; ++n) store.send(s.stream, note(n));
    EXPECT_EQ(store.stored_events(), 4u);
    Sink late;
    EXPECT_EQ(store.resume(s.priming_id, late.writer()).status, EventStore::Resume::gap)
        << "events 1-6 are gone: replaying 7-10 would hide the loss";
    EXPECT_EQ(store.resume(w.id(4), late.writer()).status, EventStore::Resume::gap);
    ASSERT_EQ(store.resume(w.id(5), late.writer()).status, EventStore::Resume::ok);
    ASSERT_EQ(late.events.size(), 4u);
    EXPECT_EQ(late.data(0)["params"]["n"], 7);
    EXPECT_EQ(late.data(3)["params"]["n"], 10);
}

TEST(McpEventStore, BoundedByBytesButTheNewestEventStays) {
    EventStore store;
    store.set_limits({1000, 2048});
    Sink w;
    const auto s = store.open(w.writer(), true);
    const std::string kb(1000, 'x');
    for (int n = 0; n < 5; ++n) store.send(s.stream, {{"pad", kb}});
    EXPECT_LE(store.stored_bytes(), 2048u);
    EXPECT_EQ(store.stored_events(), 2u);
    store.finish(s.stream, {{"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"big", std::string(5000, 'y')}}}});
    EXPECT_EQ(store.stored_events(), 1u) << "a response larger than the byte bound is still kept";
    Sink late;
    ASSERT_EQ(store.resume(w.id(4), late.writer()).status, EventStore::Resume::ok);
    ASSERT_EQ(late.events.size(), 1u);
    EXPECT_EQ(late.data(0)["id"], 1);
}

TEST(McpEventStore, ForgottenStreamRecordsAreBoundedToo) {
    EventStore store;
    store.set_limits({8, 1 << 20});
    for (int n = 0; n < 100; ++n) {
        Sink w;
        const auto s = store.open(w.writer(), true);
        store.finish(s.stream, nullptr);
    }
    EXPECT_LE(store.streams(), 9u);
}
