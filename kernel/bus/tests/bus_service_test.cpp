// The "cowork.bus/1" C table: publish/subscribe through C, ownership, drop_owner.
#include "bus/bus_service.hpp"

#include "wait_for.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cowork::kernel::bus {
namespace {

using namespace std::chrono_literals;
using test::wait_for;

struct Inbox {
    std::mutex m;
    std::vector<std::string> items;  // "topic=payload"
    size_t size() {
        std::lock_guard lock(m);
        return items.size();
    }
};

void collect(void* user, const char* topic, const char* payload, size_t size) {
    auto* inbox = static_cast<Inbox*>(user);
    std::lock_guard lock(inbox->m);
    inbox->items.push_back(std::string(topic) + "=" + std::string(payload, size));
}

TEST(BusService, PublishAndSubscribeThroughCTable) {
    EventBus bus;
    BusService service(bus);
    const cowork_bus_v1* t = service.table_for("tool.hello");
    ASSERT_EQ(t->struct_size, sizeof(cowork_bus_v1));
    EXPECT_EQ(t, service.table_for("tool.hello"));  // stable per plugin
    Inbox inbox;
    uint64_t token = t->subscribe(t->ctx, "greet.*", &collect, &inbox);
    ASSERT_GT(token, 0u);
    EXPECT_EQ(t->subscribe(t->ctx, "greet.#.x", &collect, &inbox), 0u);  // bad pattern
    EXPECT_EQ(t->subscribe(t->ctx, "greet.*", nullptr, &inbox), 0u);
    EXPECT_EQ(t->publish(t->ctx, "greet.world", "{\"a\":1}", 7), COWORK_OK);
    EXPECT_EQ(t->publish(t->ctx, "greet.*", "x", 1), COWORK_E_INVALID);
    ASSERT_TRUE(bus.publish("greet.kernel", Json{{"b", 2}}).ok());  // JSON reaches C as text
    ASSERT_TRUE(wait_for([&] { return inbox.size() == 2; }));
    std::lock_guard lock(inbox.m);
    EXPECT_EQ(inbox.items[0], "greet.world={\"a\":1}");
    EXPECT_EQ(inbox.items[1], "greet.kernel={\"b\":2}");
}

TEST(BusService, OversizePublishIsInvalid) {
    EventBus bus(BusOptions{.max_payload_bytes = 4});
    BusService service(bus);
    auto* t = service.table_for("p.one");
    EXPECT_EQ(t->publish(t->ctx, "a.b", "12345", 5), COWORK_E_INVALID);
}

TEST(BusService, PluginCannotUnsubscribeAnotherPluginsToken) {
    EventBus bus;
    BusService service(bus);
    auto* a = service.table_for("p.a");
    auto* b = service.table_for("p.b");
    Inbox inbox;
    uint64_t token = a->subscribe(a->ctx, "x", &collect, &inbox);
    ASSERT_GT(token, 0u);
    b->unsubscribe(b->ctx, token);
    EXPECT_EQ(service.subscription_count("p.a"), 1u);
    a->unsubscribe(a->ctx, token);
    EXPECT_EQ(service.subscription_count("p.a"), 0u);
}

TEST(BusService, DropOwnerEndsOnlyThatPluginsSubscriptions) {
    EventBus bus;
    BusService service(bus);
    auto* a = service.table_for("p.a");
    auto* b = service.table_for("p.b");
    Inbox inbox_a, inbox_b;
    ASSERT_GT(a->subscribe(a->ctx, "x.#", &collect, &inbox_a), 0u);
    ASSERT_GT(a->subscribe(a->ctx, "x.y", &collect, &inbox_a), 0u);
    ASSERT_GT(b->subscribe(b->ctx, "x.y", &collect, &inbox_b), 0u);
    EXPECT_EQ(service.subscription_count("p.a"), 2u);
    service.drop_owner("p.a");
    EXPECT_EQ(service.subscription_count("p.a"), 0u);
    EXPECT_EQ(service.subscription_count("p.b"), 1u);
    ASSERT_TRUE(bus.publish("x.y", std::string("1")).ok());
    ASSERT_TRUE(wait_for([&] { return inbox_b.size() == 1; }));
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(inbox_a.size(), 0u);
    EXPECT_EQ(bus.subscriber_stats().size(), 1u);
    EXPECT_EQ(bus.subscriber_stats()[0].owner, "p.b");
}

// A plugin handler that unsubscribes itself through the C table.
struct SelfCancel {
    const cowork_bus_v1* table = nullptr;
    std::atomic<uint64_t> token{0};
    std::atomic<int> calls{0};
    std::atomic<bool> done{false};
};

void cancel_self(void* user, const char*, const char*, size_t) {
    auto* s = static_cast<SelfCancel*>(user);
    while (s->token.load() == 0) std::this_thread::yield();
    ++s->calls;
    s->table->unsubscribe(s->table->ctx, s->token);
    s->done = true;
}

TEST(BusService, UnsubscribeFromInsideCHandler) {
    EventBus bus;
    BusService service(bus);
    SelfCancel s;
    s.table = service.table_for("p.self");
    s.token = s.table->subscribe(s.table->ctx, "t", &cancel_self, &s);
    ASSERT_GT(s.token.load(), 0u);
    for (int i = 0; i < 5; ++i) ASSERT_EQ(s.table->publish(s.table->ctx, "t", "", 0), COWORK_OK);
    ASSERT_TRUE(wait_for([&] { return s.done.load(); }));
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(s.calls.load(), 1);
    EXPECT_EQ(service.subscription_count("p.self"), 0u);
}

}  // namespace
}  // namespace cowork::kernel::bus
