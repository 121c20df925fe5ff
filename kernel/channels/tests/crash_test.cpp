// A channel plugin that crashes (out of process, so only its host child
// dies) marks its own instances `error` and leaves every other plugin's
// instances alone; once the manager has restarted it they open again.
#include "channel_fixture.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace cowork::kernel::channels {
namespace {

using namespace std::chrono_literals;
using testing::kLoopback;
using testing::kLoopbackProc;
using testing::World;

// The plugin manager handles a crash on its own threads; wait (bounded)
// for the state a test needs before the next registry pass.
bool wait_until(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return condition();
}

struct Three {
    ChannelInstance steady, crashy, sibling;
};

// One instance on the in-process plugin, two on the out-of-process one
// (the first crashes its host when it sends).
Three make_three(World& w) {
    Three t{w.create("steady", {{"file", w.file("steady.jsonl").string()}}),
            w.create("crashy", {{"file", w.file("crashy.jsonl").string()}, {"crashOnSend", true}}, {}, kLoopbackProc),
            w.create("sibling", {{"file", w.file("sibling.jsonl").string()}}, {}, kLoopbackProc)};
    for (const auto* c : {&t.steady, &t.crashy, &t.sibling})
        EXPECT_FALSE(w.events().wait_for(c->id, "connected").is_null()) << c->name;
    return t;
}

TEST(ChannelCrash, CrashMarksThatPluginsInstancesErrorAndNoOther) {
    cowork::testing::TempDir tmp;
    World w(tmp.path(), {.fixtures = {kLoopback, kLoopbackProc}, .max_restarts = 0});
    const Three t = make_three(w);

    auto crashed = w.registry().send(t.crashy.id, {{"chatId", "1"}, {"text", "boom"}});
    ASSERT_FALSE(crashed.ok());
    EXPECT_FALSE(crashed.error().details.value("permanent", true)) << "a crash is worth a retry";
    ASSERT_TRUE(wait_until([&] { return w.manager().status(kLoopbackProc)->state == plugins::State::Failed; }));

    const size_t mark = w.events().size();
    w.registry().reconcile();
    for (const auto* c : {&t.crashy, &t.sibling}) {
        const Json e = w.events().wait_for(c->id, "error", mark);
        ASSERT_FALSE(e.is_null()) << c->name;
        EXPECT_NE(e["detail"].get<std::string>().find(kLoopbackProc + " is not running"), std::string::npos) << e.dump();
    }
    EXPECT_EQ(w.registry().get(t.steady.id)->status.state, "connected");
    ASSERT_TRUE(w.registry().send(t.steady.id, {{"chatId", "1"}, {"text", "unaffected"}}).ok());
    EXPECT_EQ(w.delivered(w.file("steady.jsonl")).size(), 1u);
    auto down = w.registry().send(t.sibling.id, {{"chatId", "1"}, {"text", "x"}});
    ASSERT_FALSE(down.ok());
    EXPECT_FALSE(down.error().details.value("permanent", true));
}

TEST(ChannelCrash, InstancesReopenOnTheRestartedPlugin) {
    cowork::testing::TempDir tmp;
    World w(tmp.path(), {.fixtures = {kLoopback, kLoopbackProc}});
    const Three t = make_three(w);
    const unsigned restarts_before = w.manager().status(kLoopbackProc)->restarts;

    ASSERT_FALSE(w.registry().send(t.crashy.id, {{"chatId", "1"}, {"text", "boom"}}).ok());
    ASSERT_TRUE(wait_until([&] {
        auto s = w.manager().status(kLoopbackProc);
        return s && s->state == plugins::State::Running && s->restarts > restarts_before;
    }));
    const size_t mark = w.events().size();
    w.registry().reconcile();
    for (const auto* c : {&t.crashy, &t.sibling})
        EXPECT_FALSE(w.events().wait_for(c->id, "connected", mark).is_null()) << c->name;
    auto after = w.registry().send(t.sibling.id, {{"chatId", "2"}, {"text", "after restart"}});
    ASSERT_TRUE(after.ok()) << after.error().message;
    EXPECT_EQ(w.delivered(w.file("sibling.jsonl")).size(), 1u);
}

}  // namespace
}  // namespace cowork::kernel::channels
