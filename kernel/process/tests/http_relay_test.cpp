// cowork.http/1 across the process boundary, both ends in this process:
// the child's HostProxy table → Endpoint pair → the kernel's HostRelay →
// a fake cowork_http_v1. Body chunks must arrive as events of the call, and
// a cancel from another child thread must reach the running request.
#include "plugin-host/host_proxy.hpp"
#include "process/host_relay.hpp"

#include <cowork/sdk/error.hpp>
#include <cowork/sdk/host.hpp>
#include <cowork/sdk/sink.hpp>

#include <gtest/gtest.h>

#include <sys/socket.h>

#include <condition_variable>
#include <thread>

using namespace cowork::kernel::process;
using namespace std::chrono_literals;

namespace {

void write(const cowork_sink* out, const Json& j) { cowork::sdk::write_result(out, j); }

// The kernel's cowork.http/1 stand-in: "/stream" emits three chunks, "/hang"
// blocks until cancelled.
struct FakeHttp {
    cowork_http_v1 table{};
    cowork_host host{};
    std::mutex mutex;
    std::condition_variable cv;
    std::string cancelled_id;
    std::atomic<bool> hanging{false};

    FakeHttp() {
        table = {sizeof table, this, &FakeHttp::request, &FakeHttp::cancel};
        host = {sizeof host, COWORK_ABI_MAJOR, COWORK_ABI_MINOR, this, "llm.fake", "/tmp",
                [](void* ctx, const char* id) -> const void* {
                    return std::string_view(id) == COWORK_SERVICE_HTTP ? &static_cast<FakeHttp*>(ctx)->table : nullptr;
                }};
    }
    static cowork_status request(void* ctx, const char* in, size_t size, const cowork_sink* out) {
        auto& self = *static_cast<FakeHttp*>(ctx);
        const Json req = Json::parse(std::string(in, size));
        const std::string url = req.value("url", "");
        if (url.ends_with("/hang")) {
            std::unique_lock lock(self.mutex);
            self.hanging = true;
            const bool woke = self.cv.wait_for(lock, 10s, [&] { return self.cancelled_id == req.value("requestId", ""); });
            write(out, {{"code", woke ? "cancelled" : "timeout"}, {"message", "fake"}});
            return woke ? COWORK_E_CANCELLED : COWORK_E_TIMEOUT;
        }
        for (int i = 0; i < 3 && req.value("stream", false); ++i)
            cowork::sdk::write_event(out, {{"type", "chunk"}, {"data", "part" + std::to_string(i) + ";"}});
        write(out, {{"status", 200}, {"headers", Json::object()}, {"bytes", 18}});
        return COWORK_OK;
    }
    static cowork_status cancel(void* ctx, const char* in, size_t size, const cowork_sink* out) {
        auto& self = *static_cast<FakeHttp*>(ctx);
        {
            std::lock_guard lock(self.mutex);
            self.cancelled_id = Json::parse(std::string(in, size)).value("requestId", "");
        }
        self.cv.notify_all();
        write(out, {{"cancelled", true}});
        return COWORK_OK;
    }
};

// kernel ⇄ child over a socketpair.
struct Link {
    FakeHttp fake;
    HostRelay relay{&fake.host, "llm.fake"};
    std::unique_ptr<Endpoint> kernel, child;
    std::unique_ptr<cowork::plugin_host::HostProxy> proxy;

    Link() {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        Endpoint::Handlers k;
        k.on_request = [this](const std::string& m, const Json& p, const Endpoint::EventFn& emit) {
            return relay.handle_request(m, p, emit);
        };
        kernel = std::make_unique<Endpoint>(fds[0], std::move(k));
        child = std::make_unique<Endpoint>(fds[1], Endpoint::Handlers{});
        relay.attach(kernel.get());
        const auto services = relay.available_services();
        proxy = std::make_unique<cowork::plugin_host::HostProxy>(*child, "llm.fake", "/tmp",
                                                                 std::set<std::string>(services.begin(), services.end()));
        kernel->start();
        child->start();
    }
    ~Link() {
        child->close();
        kernel->close();
    }
};

}  // namespace

TEST(HttpRelay, OfferedToTheChildWhenTheKernelHasIt) {
    Link link;
    const auto services = link.relay.available_services();
    EXPECT_NE(std::find(services.begin(), services.end(), COWORK_SERVICE_HTTP), services.end());
    cowork::sdk::Host host(link.proxy->host());
    EXPECT_NE(host.service<cowork_http_v1>(COWORK_SERVICE_HTTP), nullptr);
}

TEST(HttpRelay, StreamedChunksArriveAsEventsBeforeTheResult) {
    Link link;
    cowork::sdk::Host host(link.proxy->host());
    std::vector<std::string> chunks;
    const Json out = host.http({{"url", "http://fake/stream"}}, [&](std::string_view c) { chunks.emplace_back(c); });
    EXPECT_EQ(chunks, (std::vector<std::string>{"part0;", "part1;", "part2;"}));
    EXPECT_EQ(out["status"], 200);
    EXPECT_EQ(out["bytes"], 18);
}

TEST(HttpRelay, CancelFromAnotherChildThreadReachesTheRunningRequest) {
    Link link;
    cowork::sdk::Host host(link.proxy->host());
    std::thread canceller([&] {
        for (int i = 0; i < 500 && !link.fake.hanging; ++i) std::this_thread::sleep_for(10ms);
        host.http_cancel("req-9");
    });
    const auto start = std::chrono::steady_clock::now();
    try {
        (void)host.http({{"url", "http://fake/hang"}, {"requestId", "req-9"}});
        ADD_FAILURE() << "expected the request to be cancelled";
    } catch (const cowork::sdk::Error& e) {
        EXPECT_EQ(e.status(), COWORK_E_CANCELLED);
        EXPECT_EQ(e.code(), "cancelled");
    }
    canceller.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}
