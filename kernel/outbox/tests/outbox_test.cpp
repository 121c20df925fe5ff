// The outbox against a real SQLite file and a simulated clock: backoff,
// dead letters (six failures, permanent errors), idempotency, crash
// recovery of `sending`, retry of a dead letter, bus events.
#include "outbox/outbox.hpp"
#include "outbox/outbox_worker.hpp"
#include "outbox/retry_backoff.hpp"
#include "storage/kernel_schema.hpp"
#include "storage/sqlite.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <future>
#include <latch>

namespace cowork::kernel::outbox {
namespace {

using namespace std::chrono;
using scheduler::Instant;
using scheduler::ManualClock;

std::unique_ptr<storage::Database> open_db(const std::filesystem::path& file) {
    storage::Migrations m;
    EXPECT_TRUE(m.add(storage::kernel_migrations()));
    EXPECT_TRUE(m.add(outbox_migrations()));
    auto db = storage::Database::open({.path = file}, m);
    EXPECT_TRUE(db) << (db ? "" : db.error().message);
    return std::move(db).value();
}

// Answers each send with the next scripted result; fails when the script runs out.
class ScriptedSender final : public ChannelSender {
public:
    std::deque<Result<Json>> answers;
    std::vector<Delivery> seen;
    Result<Json> send(const Delivery& d) override {
        seen.push_back(d);
        if (answers.empty()) return make_error("channel.down", "the channel is unreachable");
        auto a = std::move(answers.front());
        answers.pop_front();
        return a;
    }
};

NewDelivery delivery(const std::string& key) {
    return {"chan.test", "alice", "hello " + key, key, Json{{"kind", "test"}}};
}

struct Rig {
    testing::TempDir dir;
    std::unique_ptr<storage::Database> db = open_db(dir.path() / "cowork.db");
    ManualClock clock{Instant(seconds(1'700'000'000))};
    Outbox outbox{*db, clock, nullptr, [] { return milliseconds(0); }};
    std::shared_ptr<ScriptedSender> sender = std::make_shared<ScriptedSender>();
    Rig() { outbox.set_sender(sender); }
    OutboxItem item(const std::string& id) {
        auto got = outbox.store().get(id);
        EXPECT_TRUE(got && *got);
        return **got;
    }
};

TEST(OutboxBackoff, DoublesFromFiveSecondsCappedAtFiveMinutesPlusJitter) {
    EXPECT_EQ(retry_delay(1, milliseconds(0)), seconds(5));
    EXPECT_EQ(retry_delay(2, milliseconds(0)), seconds(10));
    EXPECT_EQ(retry_delay(3, milliseconds(0)), seconds(20));
    EXPECT_EQ(retry_delay(6, milliseconds(0)), seconds(160));
    EXPECT_EQ(retry_delay(7, milliseconds(0)), minutes(5));
    EXPECT_EQ(retry_delay(1000, milliseconds(0)), minutes(5));
    EXPECT_EQ(retry_delay(1, milliseconds(400)), milliseconds(5400));
    EXPECT_EQ(retry_delay(1, milliseconds(5000)), milliseconds(6000));  // jitter is at most 1 s
    for (int i = 0; i < 100; ++i) {
        auto j = random_jitter();
        EXPECT_GE(j.count(), 0);
        EXPECT_LE(j.count(), 1000);
    }
}

TEST(Outbox, DeliversAPendingItemOnce) {
    Rig r;
    r.sender->answers.push_back(Json{{"messageId", "m-1"}});
    auto e = r.outbox.enqueue(delivery("k1"));
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_TRUE(e->inserted);
    EXPECT_EQ(r.outbox.deliver_due(), 1u);
    EXPECT_EQ(r.outbox.deliver_due(), 0u);
    const auto it = r.item(e->item.id);
    EXPECT_EQ(it.state, "delivered");
    EXPECT_EQ(it.attempts, 1);
    EXPECT_EQ(it.result.value("messageId", ""), "m-1");
    ASSERT_TRUE(it.delivered_at);
    ASSERT_EQ(r.sender->seen.size(), 1u);
    EXPECT_EQ(r.sender->seen[0].text, "hello k1");
    EXPECT_EQ(r.sender->seen[0].idempotency_key, "k1");
    EXPECT_EQ(r.sender->seen[0].source.value("kind", ""), "test");
}

TEST(Outbox, SameIdempotencyKeyTwiceIsOneItem) {
    Rig r;
    auto a = r.outbox.enqueue(delivery("same"));
    auto b = r.outbox.enqueue(delivery("same"));
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(a->inserted);
    EXPECT_FALSE(b->inserted);
    EXPECT_EQ(a->item.id, b->item.id);
    auto all = r.outbox.list(std::nullopt, 100);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 1u);
}

TEST(Outbox, SixFailuresWithBackoffThenDeadLetter) {
    Rig r;
    auto e = r.outbox.enqueue(delivery("k"));
    ASSERT_TRUE(e);
    const std::vector<int> waits_s = {5, 10, 20, 40, 80};
    for (int attempt = 1; attempt <= 6; ++attempt) {
        EXPECT_EQ(r.outbox.deliver_due(), 1u) << "attempt " << attempt;
        auto it = r.item(e->item.id);
        EXPECT_EQ(it.attempts, attempt);
        EXPECT_EQ(it.last_error, "the channel is unreachable");
        if (attempt == 6) {
            EXPECT_EQ(it.state, "dead_letter");
            break;
        }
        EXPECT_EQ(it.state, "pending");
        const int wait = waits_s[static_cast<size_t>(attempt - 1)];
        // Not due one second early; due exactly on time.
        r.clock.advance(seconds(wait - 1));
        EXPECT_EQ(r.outbox.deliver_due(), 0u);
        r.clock.advance(seconds(1));
    }
    r.clock.advance(hours(1));
    EXPECT_EQ(r.outbox.deliver_due(), 0u);  // a dead letter is never retried on its own
    EXPECT_EQ(r.sender->seen.size(), 6u);
    auto dead = r.outbox.list(std::string("dead_letter"), 10);
    ASSERT_TRUE(dead);
    ASSERT_EQ(dead->size(), 1u);
}

TEST(Outbox, PermanentErrorDeadLettersAtOnce) {
    Rig r;
    r.sender->answers.push_back(make_error("channel.unknown", "no channel chan.test", Json{{"permanent", true}}));
    auto e = r.outbox.enqueue(delivery("k"));
    ASSERT_TRUE(e);
    EXPECT_EQ(r.outbox.deliver_due(), 1u);
    const auto it = r.item(e->item.id);
    EXPECT_EQ(it.state, "dead_letter");
    EXPECT_EQ(it.attempts, 1);
    EXPECT_EQ(it.last_error, "no channel chan.test");
}

TEST(Outbox, RetryPutsADeadLetterBackWithAFreshBudget) {
    Rig r;
    r.sender->answers.push_back(make_error("channel.unknown", "no such channel", Json{{"permanent", true}}));
    auto e = r.outbox.enqueue(delivery("k"));
    ASSERT_TRUE(e);
    r.outbox.deliver_due();
    auto pending = r.outbox.retry(e->item.id);
    ASSERT_TRUE(pending) << pending.error().message;
    EXPECT_EQ(pending->state, "pending");
    EXPECT_EQ(pending->attempts, 0);
    auto again = r.outbox.retry(e->item.id);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "outbox.not_dead_letter");
    r.sender->answers.push_back(Json{{"messageId", "m-2"}});
    EXPECT_EQ(r.outbox.deliver_due(), 1u);
    EXPECT_EQ(r.item(e->item.id).state, "delivered");
    EXPECT_EQ(r.outbox.retry("dlv_nope").error().code, "outbox.not_found");
}

TEST(Outbox, WithoutASenderItemsWaitWithoutSpendingAttempts) {
    Rig r;
    r.outbox.set_sender(nullptr);
    auto e = r.outbox.enqueue(delivery("k"));
    ASSERT_TRUE(e);
    EXPECT_EQ(r.outbox.deliver_due(), 0u);
    EXPECT_EQ(r.item(e->item.id).attempts, 0);
    EXPECT_EQ(r.item(e->item.id).state, "pending");
}

TEST(Outbox, MissingFieldsAreRefusedByName) {
    Rig r;
    auto bad = r.outbox.enqueue({"", "alice", "x", "k", Json::object()});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "outbox.invalid");
    EXPECT_EQ(bad.error().details.value("field", ""), "channelId");
    EXPECT_EQ(r.outbox.enqueue({"c", "", "x", "k", Json::object()}).error().details.value("field", ""), "to");
}

// A crash between claim and settle leaves the row `sending`; the next boot
// (a new Database on the same file) puts it back to pending and sends it.
TEST(Outbox, SendingAfterACrashIsPendingAgainAtBoot) {
    testing::TempDir dir;
    const auto file = dir.path() / "cowork.db";
    ManualClock clock{Instant(seconds(1'700'000'000))};
    std::string id;
    {
        auto db = open_db(file);
        Outbox outbox(*db, clock, nullptr);
        auto e = outbox.enqueue(delivery("crash"));
        ASSERT_TRUE(e);
        id = e->item.id;
        auto claimed = outbox.store().claim(id);  // the worker took it, then the process died
        ASSERT_TRUE(claimed && *claimed);
        db->close();
    }
    auto db = open_db(file);
    Outbox outbox(*db, clock, nullptr);
    auto sender = std::make_shared<ScriptedSender>();
    sender->answers.push_back(Json{{"messageId", "m-3"}});
    outbox.set_sender(sender);
    EXPECT_EQ(outbox.deliver_due(), 0u);  // still `sending` until recovered
    auto n = outbox.recover();
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 1);
    EXPECT_EQ(outbox.deliver_due(), 1u);
    auto it = outbox.store().get(id);
    ASSERT_TRUE(it && *it);
    EXPECT_EQ((*it)->state, "delivered");
}

TEST(Outbox, PublishesDeliveredAndDeadLetterEvents) {
    testing::TempDir dir;
    auto db = open_db(dir.path() / "cowork.db");
    bus::EventBus bus;
    std::mutex m;
    std::vector<std::pair<std::string, Json>> events;
    std::latch two(2);
    auto sub = bus.subscribe("outbox.*", [&](const bus::Event& e) {
        {
            std::lock_guard lock(m);
            events.emplace_back(e.topic, std::get<Json>(e.payload));
        }
        two.count_down();
    });
    ASSERT_TRUE(sub);
    ManualClock clock{Instant(seconds(1'700'000'000))};
    Outbox outbox(*db, clock, &bus);
    auto sender = std::make_shared<ScriptedSender>();
    sender->answers.push_back(Json{{"messageId", "m-1"}});
    sender->answers.push_back(make_error("channel.unknown", "gone", Json{{"permanent", true}}));
    outbox.set_sender(sender);
    ASSERT_TRUE(outbox.enqueue(delivery("a")));
    outbox.deliver_due();
    ASSERT_TRUE(outbox.enqueue(delivery("b")));
    outbox.deliver_due();
    two.wait();
    std::lock_guard lock(m);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].first, "outbox.delivered");
    EXPECT_EQ(events[0].second.value("messageId", ""), "m-1");
    EXPECT_FALSE(events[0].second.contains("text"));  // the message text stays out of events
    EXPECT_EQ(events[1].first, "outbox.dead_letter");
    EXPECT_EQ(events[1].second.value("lastError", ""), "gone");
}

// Signals the thread it was called on, once.
class SignallingSender final : public ChannelSender {
public:
    std::promise<std::thread::id> called;
    Result<Json> send(const Delivery&) override {
        if (!done_.exchange(true)) called.set_value(std::this_thread::get_id());
        return Json{{"messageId", "m"}};
    }

private:
    std::atomic<bool> done_{false};
};

TEST(OutboxWorker, DeliversRightAfterAnEnqueueOnItsOwnThread) {
    Rig r;
    auto sender = std::make_shared<SignallingSender>();
    auto called = sender->called.get_future();
    r.outbox.set_sender(sender);
    // A period of an hour: only the enqueue's poke can make this send happen.
    OutboxWorker worker(r.outbox, std::chrono::hours(1));
    worker.start();
    auto e = r.outbox.enqueue(delivery("poked"));
    ASSERT_TRUE(e);
    const auto sent_on = called.get();
    EXPECT_NE(sent_on, std::this_thread::get_id());
    worker.stop();  // joins: the pass that sent has settled the item
    EXPECT_EQ(r.item(e->item.id).state, "delivered");
}

}  // namespace
}  // namespace cowork::kernel::outbox
