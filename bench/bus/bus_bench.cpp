// cowork_bench_bus — how many events per second the bus delivers.
// Prints figures only; never gates CI. Lossless queues so every event counts.
#include "bus/event_bus.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

using namespace cowork::kernel::bus;
using Clock = std::chrono::steady_clock;

void run(int subscribers, int events, size_t threads, bool json_payload) {
    EventBus bus(BusOptions{.threads = threads});
    std::atomic<long> delivered{0};
    std::vector<Subscription> subs;
    for (int i = 0; i < subscribers; ++i) {
        auto sub = bus.subscribe(i % 2 ? "bench.*" : "bench.#", [&](const Event&) { ++delivered; },
                                 SubscribeOptions{.policy = QueuePolicy::Lossless, .capacity = 4096});
        subs.push_back(std::move(sub.value()));
    }
    const long expected = static_cast<long>(subscribers) * events;
    auto start = Clock::now();
    for (int n = 0; n < events; ++n) {
        auto st = json_payload ? bus.publish("bench.tick", cowork::kernel::Json{{"n", n}, {"kind", "tick"}})
                               : bus.publish("bench.tick", std::string("{\"n\":1,\"kind\":\"tick\"}"));
        if (!st) std::fprintf(stderr, "publish failed: %s\n", st.error().message.c_str());
    }
    while (delivered.load() < expected) std::this_thread::sleep_for(std::chrono::microseconds(200));
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%3d subscriber(s), %zu pool threads, %s payload: %8d events in %.3f s = %10.0f events/s published, "
                "%10.0f deliveries/s\n",
                subscribers, threads, json_payload ? "json  " : "string", events, seconds, events / seconds,
                expected / seconds);
}

}  // namespace

int main() {
    run(1, 200000, 2, false);
    run(1, 100000, 2, true);
    run(100, 20000, 2, false);
    run(100, 20000, 2, true);
    return 0;
}
