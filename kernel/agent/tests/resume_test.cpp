// Crash safety: unfinished tasks become `interrupted` at boot, and resume
// continues with the history rebuilt from the journal (real SQLite file).
#include "fakes.hpp"

#include "storage/kernel_schema.hpp"
#include "storage/task_repo.hpp"

namespace cowork::kernel::agent::testing {
namespace {

TEST(Resume, RuntimeDroppedMidTaskThenResumedContinuesWithHistory) {
    Harness h;
    h.llm.turns = {tool_turn({tool_call("c1", "tool.fake.echo", {{"path", "first"}})}), h.llm.blocking_turn()};
    const auto id = h.create("two steps");
    ASSERT_TRUE(h.llm.wait_blocked());
    h.reopen_runtime();  // the old runtime stops: the task is interrupted, not lost
    EXPECT_EQ(h.task(id).status, "interrupted");
    h.llm.turns = {text_turn("finished after resume")};
    auto resumed = h.runtime->resume(id, "test");
    ASSERT_TRUE(resumed.ok()) << resumed.error().message;
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    const Json msgs = h.llm.requests().back()["messages"];
    ASSERT_EQ(msgs.size(), 3u) << msgs.dump();
    EXPECT_EQ(msgs[0]["content"][0]["text"], "two steps");
    EXPECT_EQ(msgs[1]["content"][0]["id"], "c1");
    EXPECT_EQ(msgs[2]["content"][0]["content"], R"({"path":"first"})");
    EXPECT_EQ(h.task(id).result["usage"]["iterations"], 2) << "usage survives: 1 before, 1 after (the cancelled call is not counted)";
}

TEST(Resume, BootSweepInterruptsTasksOfADeadRuntimeAndResumeAnswersTheLostCall) {
    TempDir dir;
    std::string id;
    {
        Harness h(test_settings(), dir.path());
        // What a kill -9 leaves behind: an executing task, claimed by a runtime
        // whose lock nobody holds, with a tool call that never returned.
        storage::Task t;
        t.prompt = "crashy";
        t.status = "executing";
        id = h.runtime->recorder().tasks().create(t).get()->id;
        TaskSpec spec;
        spec.workspace = h.workspace.string();
        spec.caller = {"operator", {"read", "write", "approve"}};
        auto& rec = h.runtime->recorder();
        (void)rec.event(id, "task.created", spec.created_payload()).get();
        (void)rec.event(id, "task.claimed", {{"runtime", "rt_dead"}}).get();
        (void)rec.event(id, "user.message", {{"text", "crashy"}}).get();
        (void)rec.event(id, "assistant.message",
                        {{"message", {{"role", "assistant"}, {"content", {tool_call("lost", "tool.fake.touch")}}}}}).get();
        (void)rec.event(id, "message.queued", {{"id", "msg_1"}, {"text", "and then stop"}}).get();
    }
    Harness h(test_settings(), dir.path());
    auto swept = h.runtime->recover();
    ASSERT_TRUE(swept.ok());
    EXPECT_EQ(*swept, std::vector<std::string>{id});
    EXPECT_EQ(h.task(id).status, "interrupted");
    h.llm.turns = {text_turn("recovered")};
    ASSERT_TRUE(h.runtime->resume(id, "test").ok());
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    const Json msgs = h.llm.requests().back()["messages"];
    ASSERT_EQ(msgs.size(), 4u) << msgs.dump();
    EXPECT_TRUE(msgs[2]["content"][0]["isError"].get<bool>());
    EXPECT_NE(msgs[2]["content"][0]["content"].get<std::string>().find("may or may not have run"), std::string::npos);
    EXPECT_EQ(msgs[3]["content"][0]["text"], "and then stop") << "a queued message survives the crash";
}

TEST(Resume, BootSweepLeavesTasksOfALiveRuntimeAlone) {
    TempDir dir;
    Harness owner(test_settings(), dir.path());
    owner.llm.turns = {owner.llm.blocking_turn()};
    const auto id = owner.create("busy");
    ASSERT_TRUE(owner.llm.wait_blocked());
    // A second kernel (say, the CLI next to coworkd) boots on the same database.
    auto db = storage::Database::open({.path = dir.path() / "cowork.db"}, [] {
        storage::Migrations m;
        (void)m.add(storage::kernel_migrations());
        return m;
    }());
    ASSERT_TRUE(db.ok());
    ScriptedLlm llm;
    auto other = AgentRuntime::create(RuntimeDeps{**db, nullptr, *owner.registry, llm, dir.path() / "runtimes"}, test_settings());
    ASSERT_TRUE(other.ok());
    auto swept = (*other)->recover();
    ASSERT_TRUE(swept.ok());
    EXPECT_TRUE(swept->empty());
    EXPECT_FALSE((*other)->resume(id, "test").ok()) << "owned by a live runtime";
    (*other).reset();
    ASSERT_TRUE(owner.runtime->cancel(id, "test").ok());
}

TEST(Resume, OnlyInterruptedTasksResume) {
    Harness h;
    h.llm.turns = {text_turn("done")};
    const auto id = h.create("quick");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    auto r = h.runtime->resume(id, "test");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("only interrupted"), std::string::npos);
}

}  // namespace
}  // namespace cowork::kernel::agent::testing
