#include "process/endpoint.hpp"

#include "process/frame.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

using namespace cowork::kernel::process;
using namespace std::chrono_literals;

namespace {

struct Link {
    std::unique_ptr<Endpoint> a, b;
    Link(Endpoint::Handlers ha, Endpoint::Handlers hb) {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        a = std::make_unique<Endpoint>(fds[0], std::move(ha));
        b = std::make_unique<Endpoint>(fds[1], std::move(hb));
        a->start();
        b->start();
    }
};

Endpoint::Handlers echo_handlers() {
    Endpoint::Handlers h;
    h.on_request = [](const std::string& method, const Json& params, const Endpoint::EventFn& emit) -> Json {
        if (method == "echo") {
            emit(R"({"step":1})");
            emit(R"({"step":2})");
            return params;
        }
        if (method == "slow") {
            std::this_thread::sleep_for(300ms);
            return Json::object();
        }
        throw RpcError(kRpcMethodNotFound, "no " + method);
    };
    return h;
}

}  // namespace

TEST(ProcessEndpoint, CallsAndStreamsEventsBeforeTheResult) {
    Link link({}, echo_handlers());
    std::vector<std::string> events;
    const Reply reply = link.a->call("echo", Json{{"x", 1}}, [&](std::string_view e) { events.emplace_back(e); });
    ASSERT_TRUE(reply.ok()) << reply.message;
    EXPECT_EQ(reply.result, (Json{{"x", 1}}));
    EXPECT_EQ(events, (std::vector<std::string>{R"({"step":1})", R"({"step":2})"}));
}

TEST(ProcessEndpoint, UnknownMethodIsUnsupported) {
    Link link({}, echo_handlers());
    EXPECT_EQ(link.a->call("nope", Json::object()).status, COWORK_E_UNSUPPORTED);
}

TEST(ProcessEndpoint, NestedCallsBothWays) {
    // a → b.outer → (b calls a.inner) → answer: each side serves while it waits.
    Endpoint* b_ptr = nullptr;
    Endpoint::Handlers ha;
    ha.on_request = [](const std::string&, const Json& p, const Endpoint::EventFn&) -> Json {
        return Json{{"inner", p.value("n", 0) + 1}};
    };
    Endpoint::Handlers hb;
    hb.on_request = [&b_ptr](const std::string&, const Json&, const Endpoint::EventFn&) -> Json {
        const Reply nested = b_ptr->call("inner", Json{{"n", 41}});
        return Json{{"outer", nested.result}};
    };
    Link link(std::move(ha), std::move(hb));
    b_ptr = link.b.get();
    const Reply reply = link.a->call("outer", Json::object(), {}, 2000ms);
    ASSERT_TRUE(reply.ok()) << reply.message;
    EXPECT_EQ(reply.result["outer"]["inner"], 42);
}

TEST(ProcessEndpoint, TimeoutFailsTheCallButNotTheLink) {
    Link link({}, echo_handlers());
    const auto started = std::chrono::steady_clock::now();
    const Reply slow = link.a->call("slow", Json::object(), {}, 50ms);
    EXPECT_EQ(slow.status, COWORK_E_TIMEOUT);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 250ms);
    EXPECT_TRUE(link.a->call("echo", Json::object(), {}, 2000ms).ok());
}

TEST(ProcessEndpoint, PeerCloseFailsPendingCallsAndReportsOnce) {
    std::atomic<int> closed{0};
    Endpoint::Handlers ha;
    ha.on_closed = [&](const std::string&) { ++closed; };
    Link link(std::move(ha), echo_handlers());
    auto pending = std::async(std::launch::async, [&] { return link.a->call("slow", Json::object()); });
    std::this_thread::sleep_for(50ms);
    link.b.reset();  // the peer goes away mid-call
    const Reply reply = pending.get();
    EXPECT_EQ(reply.status, COWORK_E_FAILED);
    EXPECT_TRUE(link.a->closed());
    EXPECT_EQ(closed.load(), 1);
    EXPECT_EQ(link.a->call("echo", Json::object()).status, COWORK_E_FAILED);  // fails fast now
}

TEST(ProcessEndpoint, GarbageFromThePeerEndsTheLinkCleanly) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    std::promise<CloseCause> cause;
    Endpoint::Handlers h;
    h.explain_close = [&](const CloseCause& c) {
        cause.set_value(c);
        return "peer broke the protocol: " + c.detail;
    };
    Endpoint endpoint(fds[0], std::move(h));
    endpoint.start();
    auto pending = std::async(std::launch::async, [&] { return endpoint.call("anything", Json::object()); });
    std::this_thread::sleep_for(20ms);
    const std::string garbage = frame_header(5) + "{{{{{";  // a frame, but not JSON
    ASSERT_EQ(::write(fds[1], garbage.data(), garbage.size()), ssize_t(garbage.size()));
    const Reply reply = pending.get();
    EXPECT_EQ(reply.status, COWORK_E_FAILED);
    EXPECT_NE(reply.message.find("peer broke the protocol"), std::string::npos);
    EXPECT_EQ(cause.get_future().get().kind, CloseCause::Kind::Protocol);
    ::close(fds[1]);
}

TEST(ProcessEndpoint, NonRpcJsonIsAProtocolError) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    Endpoint endpoint(fds[0], Endpoint::Handlers{});
    endpoint.start();
    ASSERT_TRUE(write_frame(fds[1], R"({"hello":"world"})"));
    EXPECT_NE(endpoint.wait_closed().find("not JSON-RPC"), std::string::npos);
    ::close(fds[1]);
}

TEST(ProcessEndpoint, NotificationsArriveInOrder) {
    std::mutex m;
    std::vector<int> seen;
    Endpoint::Handlers hb;
    hb.on_notification = [&](const std::string&, const Json& p) {
        std::lock_guard lock(m);
        seen.push_back(p.value("n", -1));
    };
    Link link({}, std::move(hb));
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(link.a->notify("tick", Json{{"n", i}}));
    for (int i = 0; i < 200; ++i) {
        {
            std::lock_guard lock(m);
            if (seen.size() == 100) break;
        }
        std::this_thread::sleep_for(5ms);
    }
    std::lock_guard lock(m);
    ASSERT_EQ(seen.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[size_t(i)], i);
}
