#include "core/redactor.hpp"
#include "storage/task_event_journal.hpp"
#include "test_support.hpp"

#include <thread>

namespace cowork::kernel::storage {
namespace {

using testing::make_task;
using testing::open_db;
using testing::TempDir;

TEST(TaskEventJournal, SeqIsContiguousUnderEightConcurrentThreads) {
    TempDir dir;
    auto db = open_db(dir.path() / "cowork.db");
    ASSERT_TRUE(db);
    TaskRepo tasks(*db);
    TaskEventJournal journal(*db);
    make_task(tasks, "t1");
    make_task(tasks, "t2");

    constexpr int kThreads = 8, kPerThread = 200;
    std::vector<std::thread> threads;
    std::vector<std::vector<std::int64_t>> seqs(kThreads);
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto e = journal.append(i % 2 ? "t1" : "t2", "step", {{"thread", t}, {"i", i}}).get();
                if (e) seqs[t].push_back(e->seq);
            }
        });
    for (auto& th : threads) th.join();

    for (const char* task : {"t1", "t2"}) {
        auto events = journal.list_after(task, 0, 100000);
        ASSERT_TRUE(events.ok());
        ASSERT_EQ(events->size(), static_cast<size_t>(kThreads * kPerThread / 2)) << task;
        for (size_t i = 0; i < events->size(); ++i) ASSERT_EQ((*events)[i].seq, static_cast<std::int64_t>(i + 1)) << task;
        EXPECT_EQ(journal.last_seq(task).value_or(-1), kThreads * kPerThread / 2);
    }
    size_t reported = 0;
    for (auto& s : seqs) reported += s.size();
    EXPECT_EQ(reported, static_cast<size_t>(kThreads * kPerThread));
}

TEST(TaskEventJournal, ListsEventsAfterASeq) {
    TempDir dir;
    auto db = open_db(dir.path() / "cowork.db");
    ASSERT_TRUE(db);
    TaskRepo tasks(*db);
    TaskEventJournal journal(*db);
    make_task(tasks, "t");
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(journal.append("t", "e" + std::to_string(i), {{"i", i}}).get().ok());
    auto later = journal.list_after("t", 3);
    ASSERT_TRUE(later.ok());
    ASSERT_EQ(later->size(), 2u);
    EXPECT_EQ((*later)[0].seq, 4);
    EXPECT_EQ((*later)[0].type, "e3");
    EXPECT_EQ((*later)[1].payload["i"], 4);
}

TEST(TaskEventJournal, UnknownTaskIsRefusedWithoutBurningASeq) {
    TempDir dir;
    auto db = open_db(dir.path() / "cowork.db");
    ASSERT_TRUE(db);
    TaskRepo tasks(*db);
    TaskEventJournal journal(*db);
    EXPECT_FALSE(journal.append("ghost", "x", Json::object()).get().ok());  // foreign key
    make_task(tasks, "t");
    auto e = journal.append("t", "x", Json::object()).get();
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->seq, 1);
}

TEST(TaskEventJournal, CapsPayloadAndRedactsSecrets) {
    TempDir dir;
    auto db = open_db(dir.path() / "cowork.db");
    ASSERT_TRUE(db);
    TaskRepo tasks(*db);
    TaskEventJournal journal(*db);
    make_task(tasks, "t");
    const std::string canary = "sk-canary-4242-secret";
    Redactor::instance().add(canary);

    auto small = journal.append("t", "tool.result", {{"output", "token=" + canary}, {canary, 1}}).get();
    ASSERT_TRUE(small.ok());
    auto huge = journal.append("t", "tool.result", {{"output", std::string(200 * 1024, 'x') + canary}}).get();
    ASSERT_TRUE(huge.ok());

    auto events = journal.list_after("t");
    Redactor::instance().clear();
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 2u);
    for (const auto& e : *events) {
        const std::string stored = e.payload.dump();
        EXPECT_EQ(stored.find(canary), std::string::npos) << "secret leaked into the journal";
        EXPECT_LE(stored.size(), kMaxPayloadBytes);
    }
    EXPECT_NE((*events)[0].payload["output"].get<std::string>().find("[REDACTED]"), std::string::npos);
    EXPECT_EQ((*events)[1].payload["truncated"], true);
    EXPECT_GT((*events)[1].payload["original_bytes"].get<size_t>(), 200u * 1024);
}

TEST(TaskEventJournal, CommittedCallbackSeesTheStoredEvent) {
    TempDir dir;
    auto db = open_db(dir.path() / "cowork.db");
    ASSERT_TRUE(db);
    TaskRepo tasks(*db);
    TaskEventJournal journal(*db);
    make_task(tasks, "t");
    std::promise<TaskEvent> published;
    auto f = journal.append("t", "task.created", {{"a", 1}}, [&](const TaskEvent& e) { published.set_value(e); });
    ASSERT_TRUE(f.get().ok());
    const auto e = published.get_future().get();
    EXPECT_EQ(e.seq, 1);
    EXPECT_EQ(e.type, "task.created");
    EXPECT_EQ(e.payload["a"], 1);
}

}  // namespace
}  // namespace cowork::kernel::storage
