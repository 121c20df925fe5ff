// EventBus: ordering, queue policies, payload cap, unsubscribe guarantees, stats.
#include "bus/event_bus.hpp"

#include "wait_for.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

namespace cowork::kernel::bus {
namespace {

using namespace std::chrono_literals;
using test::Gate;
using test::wait_for;

TEST(EventBus, DeliversTopicPayloadSequenceAndTimestamp) {
    EventBus bus;
    std::mutex m;
    std::vector<Event> got;
    auto sub = bus.subscribe("task.*", [&](const Event& e) {
        std::lock_guard lock(m);
        got.push_back(e);
    });
    ASSERT_TRUE(sub.ok());
    auto before = std::chrono::system_clock::now();
    ASSERT_TRUE(bus.publish("task.created", Json{{"id", 7}}).ok());
    ASSERT_TRUE(bus.publish("other.thing", std::string("x")).ok());
    ASSERT_TRUE(bus.publish("task.done", std::string("raw")).ok());
    ASSERT_TRUE(wait_for([&] { std::lock_guard lock(m); return got.size() == 2; }));
    std::lock_guard lock(m);
    EXPECT_EQ(got[0].topic, "task.created");
    EXPECT_EQ(std::get<Json>(got[0].payload)["id"], 7);
    EXPECT_EQ(got[1].payload_text(), "raw");
    EXPECT_LT(got[0].sequence, got[1].sequence);
    EXPECT_EQ(got[1].sequence, bus.last_sequence());
    EXPECT_GE(got[0].timestamp, before - 1s);
}

TEST(EventBus, RejectsBadPatternAndTopic) {
    EventBus bus;
    auto sub = bus.subscribe("task.#.x", [](const Event&) {});
    ASSERT_FALSE(sub.ok());
    EXPECT_EQ(sub.error().code, "bus.invalid_pattern");
    auto st = bus.publish("task.*", std::string("x"));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, "bus.invalid_topic");
}

// Each of 8 publishers' events reach every Lossless subscriber, all of
// them, in that publisher's order — with queues small enough to block.
TEST(EventBus, PerPublisherOrderUnderConcurrentPublishers) {
    constexpr int kPublishers = 8;
    constexpr int kPerPublisher = 1500;
    EventBus bus(BusOptions{.threads = 3});
    struct Seen {
        std::vector<int> last = std::vector<int>(kPublishers, -1);
        std::atomic<int> count{0};
        std::atomic<int> out_of_order{0};
    };
    std::vector<std::unique_ptr<Seen>> seen;
    std::vector<Subscription> subs;
    for (int s = 0; s < 3; ++s) {
        seen.push_back(std::make_unique<Seen>());
        Seen* mine = seen.back().get();
        auto sub = bus.subscribe(
            s == 0 ? "load.#" : "load.*",
            [mine](const Event& e) {  // strand: never concurrent for one subscriber
                const auto& j = std::get<Json>(e.payload);
                int p = j["p"], n = j["n"];
                if (n != mine->last[p] + 1) ++mine->out_of_order;
                mine->last[p] = n;
                ++mine->count;
            },
            SubscribeOptions{.policy = QueuePolicy::Lossless, .capacity = 16});
        ASSERT_TRUE(sub.ok());
        subs.push_back(std::move(sub.value()));
    }
    std::atomic<int> failures{0};
    std::vector<std::thread> publishers;
    for (int p = 0; p < kPublishers; ++p)
        publishers.emplace_back([&, p] {
            for (int n = 0; n < kPerPublisher; ++n)
                if (!bus.publish("load.tick", Json{{"p", p}, {"n", n}}).ok()) ++failures;
        });
    for (auto& t : publishers) t.join();
    EXPECT_EQ(failures.load(), 0);
    for (auto& s : seen) {
        ASSERT_TRUE(wait_for([&] { return s->count.load() == kPublishers * kPerPublisher; }))
            << "delivered " << s->count.load();
        EXPECT_EQ(s->out_of_order.load(), 0);
    }
    for (const auto& st : bus.subscriber_stats()) {
        EXPECT_EQ(st.dropped, 0u);
        EXPECT_LE(st.high_water, 16u);
    }
}

TEST(EventBus, DropOldestCountsDropsWithSlowSubscriber) {
    EventBus bus;
    Gate entered, release;
    std::mutex m;
    std::vector<int> got;
    auto sub = bus.subscribe(
        "ui.update",
        [&](const Event& e) {
            int n = std::get<Json>(e.payload);
            if (n == 1) {
                entered.open();
                release.wait();
            }
            std::lock_guard lock(m);
            got.push_back(n);
        },
        SubscribeOptions{.policy = QueuePolicy::DropOldest, .capacity = 4, .owner = "ui"});
    ASSERT_TRUE(sub.ok());
    ASSERT_TRUE(bus.publish("ui.update", Json(1)).ok());
    entered.wait();  // event 1 is being handled; the queue is empty
    for (int n = 2; n <= 20; ++n) ASSERT_TRUE(bus.publish("ui.update", Json(n)).ok());
    release.open();
    ASSERT_TRUE(wait_for([&] { std::lock_guard lock(m); return got.size() == 5; }));
    {
        std::lock_guard lock(m);
        EXPECT_EQ(got, (std::vector<int>{1, 17, 18, 19, 20}));  // newest kept, in order
    }
    auto stats = bus.subscriber_stats().at(0);
    EXPECT_EQ(stats.dropped, 15u);
    EXPECT_EQ(stats.high_water, 4u);
    EXPECT_EQ(stats.owner, "ui");
    ASSERT_TRUE(wait_for([&] { return bus.subscriber_stats().at(0).delivered == 5; }));
}

TEST(EventBus, LosslessBlocksPublisherThenProceeds) {
    EventBus bus(BusOptions{.lossless_max_wait = 20s});
    Gate entered, release;
    std::atomic<int> count{0};
    auto sub = bus.subscribe(
        "journal.#",
        [&](const Event&) {
            if (count.fetch_add(1) == 0) {
                entered.open();
                release.wait();
            }
        },
        SubscribeOptions{.policy = QueuePolicy::Lossless, .capacity = 1});
    ASSERT_TRUE(sub.ok());
    ASSERT_TRUE(bus.publish("journal.a", std::string("1")).ok());
    entered.wait();
    ASSERT_TRUE(bus.publish("journal.a", std::string("2")).ok());  // fills the queue
    std::atomic<bool> returned{false};
    auto third = std::async(std::launch::async, [&] {
        auto st = bus.publish("journal.a", std::string("3"));
        returned = true;
        return st;
    });
    // It cannot return before the gate opens (the wait limit is 20 s).
    EXPECT_EQ(third.wait_for(100ms), std::future_status::timeout);
    EXPECT_FALSE(returned.load());
    release.open();
    EXPECT_TRUE(third.get().ok());
    ASSERT_TRUE(wait_for([&] { return count.load() == 3; }));
    EXPECT_EQ(bus.subscriber_stats().at(0).dropped, 0u);
}

TEST(EventBus, LosslessGivesUpAfterMaxWait) {
    EventBus bus(BusOptions{.lossless_max_wait = 30ms});
    Gate entered, release;
    auto sub = bus.subscribe(
        "journal.a",
        [&](const Event&) {
            entered.open();
            release.wait();
        },
        SubscribeOptions{.policy = QueuePolicy::Lossless, .capacity = 1});
    ASSERT_TRUE(sub.ok());
    ASSERT_TRUE(bus.publish("journal.a", std::string("1")).ok());
    entered.wait();
    ASSERT_TRUE(bus.publish("journal.a", std::string("2")).ok());
    auto st = bus.publish("journal.a", std::string("3"));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, "bus.publish_timeout");
    release.open();
}

TEST(EventBus, OversizePayloadRefusedAndNotDelivered) {
    EventBus bus(BusOptions{.max_payload_bytes = 16});
    std::atomic<int> count{0};
    auto sub = bus.subscribe("#", [&](const Event&) { ++count; });
    ASSERT_TRUE(sub.ok());
    auto st = bus.publish("big.blob", std::string(17, 'x'));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, "bus.payload_too_large");
    auto big_json = bus.publish("big.json", Json{{"key", "0123456789abcdef"}});
    EXPECT_FALSE(big_json.ok());
    ASSERT_TRUE(bus.publish("small", std::string(16, 'x')).ok());
    ASSERT_TRUE(wait_for([&] { return count.load() == 1; }));
    std::this_thread::sleep_for(20ms);  // give a wrongly queued event a chance to show up
    EXPECT_EQ(count.load(), 1);
    EXPECT_EQ(bus.stats()["refused_oversize"], 2);
}

// The guarantee plugin unloading relies on: once unsubscribe returns, the
// handler has finished and is never called again.
TEST(EventBus, UnsubscribeWaitsForRunningHandler) {
    EventBus bus;
    Gate entered;
    std::atomic<bool> finished{false};
    std::atomic<int> calls{0};
    auto sub = bus.subscribe("work", [&](const Event&) {
        if (++calls == 1) {
            entered.open();
            std::this_thread::sleep_for(150ms);  // still running when unsubscribe starts
            finished = true;
        }
    });
    ASSERT_TRUE(sub.ok());
    ASSERT_TRUE(bus.publish("work", std::string("1")).ok());
    entered.wait();
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(bus.publish("work", std::string("more")).ok());
    sub->unsubscribe();
    EXPECT_TRUE(finished.load());
    ASSERT_TRUE(bus.publish("work", std::string("after")).ok());
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(calls.load(), 1);  // queued and later events never delivered
    EXPECT_TRUE(bus.subscriber_stats().empty());
}

TEST(EventBus, DestructorOfSubscriptionIsTheSameGuarantee) {
    EventBus bus;
    Gate entered;
    std::atomic<bool> finished{false};
    {
        auto sub = bus.subscribe("work", [&](const Event&) {
            entered.open();
            std::this_thread::sleep_for(100ms);
            finished = true;
        });
        ASSERT_TRUE(sub.ok());
        ASSERT_TRUE(bus.publish("work", std::string("1")).ok());
        entered.wait();
    }
    EXPECT_TRUE(finished.load());
}

TEST(EventBus, UnsubscribeFromInsideHandler) {
    EventBus bus;
    std::atomic<int> calls{0};
    std::optional<Subscription> self;
    std::atomic<bool> done{false};
    std::promise<void> subscribed;
    auto subscribed_future = subscribed.get_future().share();
    auto sub = bus.subscribe("tick", [&](const Event&) {
        subscribed_future.wait();
        ++calls;
        self->unsubscribe();  // must neither deadlock nor throw
        done = true;
    });
    ASSERT_TRUE(sub.ok());
    self.emplace(std::move(sub.value()));
    subscribed.set_value();
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(bus.publish("tick", std::string("x")).ok());
    ASSERT_TRUE(wait_for([&] { return done.load(); }));
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(calls.load(), 1);
    EXPECT_TRUE(bus.subscriber_stats().empty());
    EXPECT_FALSE(self->active());
}

TEST(EventBus, ThrowingHandlerIsCountedAndKeepsReceiving) {
    EventBus bus;
    std::atomic<int> calls{0};
    auto sub = bus.subscribe("x", [&](const Event&) {
        if (++calls == 1) throw std::runtime_error("boom");
    });
    ASSERT_TRUE(sub.ok());
    ASSERT_TRUE(bus.publish("x", std::string("1")).ok());
    ASSERT_TRUE(bus.publish("x", std::string("2")).ok());
    ASSERT_TRUE(wait_for([&] { return bus.subscriber_stats().at(0).delivered == 2; }));
    EXPECT_EQ(bus.subscriber_stats().at(0).failed, 1u);
}

TEST(EventBus, StatsSnapshotAsJson) {
    EventBus bus;
    auto a = bus.subscribe("task.#", [](const Event&) {}, SubscribeOptions{.owner = "kernel.journal"});
    auto b = bus.subscribe("ui.*", [](const Event&) {},
                           SubscribeOptions{.policy = QueuePolicy::Lossless, .capacity = 8});
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_TRUE(bus.publish("task.created", std::string("{}")).ok());
    ASSERT_TRUE(wait_for([&] { return bus.stats()["subscribers"][0]["delivered"] == 1; }));
    Json s = bus.stats();
    EXPECT_EQ(s["published"], 1);
    ASSERT_EQ(s["subscribers"].size(), 2u);
    EXPECT_EQ(s["subscribers"][0]["owner"], "kernel.journal");
    EXPECT_EQ(s["subscribers"][0]["pattern"], "task.#");
    EXPECT_EQ(s["subscribers"][1]["policy"], "lossless");
    EXPECT_EQ(s["subscribers"][1]["capacity"], 8);
    EXPECT_EQ(s["subscribers"][1]["delivered"], 0);
}

TEST(EventBus, SubscriptionMayOutliveBus) {
    Subscription sub;
    {
        EventBus bus;
        auto s = bus.subscribe("x", [](const Event&) {});
        ASSERT_TRUE(s.ok());
        sub = std::move(s.value());
        EXPECT_TRUE(sub.active());
    }
    EXPECT_FALSE(sub.active());
    sub.unsubscribe();  // harmless
}

TEST(EventBus, RunsOnAnExternalExecutor) {
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::thread runner([&] { io.run(); });
    {
        EventBus bus(io.get_executor());
        std::atomic<int> count{0};
        auto sub = bus.subscribe("x.#", [&](const Event&) { ++count; });
        ASSERT_TRUE(sub.ok());
        for (int i = 0; i < 100; ++i) ASSERT_TRUE(bus.publish("x.y", std::string("z")).ok());
        EXPECT_TRUE(wait_for([&] { return count.load() == 100; }));
    }
    work.reset();
    runner.join();
}

}  // namespace
}  // namespace cowork::kernel::bus
