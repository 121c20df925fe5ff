#include "core/redactor.hpp"
#include "storage/approval_repo.hpp"
#include "storage/audit_log.hpp"
#include "storage/plugin_state_repo.hpp"
#include "storage/secure_settings_repo.hpp"
#include "storage/settings_repo.hpp"
#include "storage/workspace_repo.hpp"
#include "test_support.hpp"

namespace cowork::kernel::storage {
namespace {

using testing::make_task;
using testing::open_db;
using testing::TempDir;

class Repos : public ::testing::Test {
protected:
    void SetUp() override {
        db = open_db(dir.path() / "cowork.db");
        ASSERT_TRUE(db);
    }
    TempDir dir;
    std::unique_ptr<Database> db;
};

TEST_F(Repos, WorkspaceRoundTrip) {
    WorkspaceRepo repo(*db);
    auto created = repo.create({.name = "notes", .path = "/home/u/notes", .permissions = {{"write", true}}}).get();
    ASSERT_TRUE(created.ok());
    EXPECT_EQ(created->id.rfind("ws_", 0), 0u);
    auto got = repo.get(created->id);
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->path, "/home/u/notes");
    EXPECT_EQ((*got)->permissions["write"], true);

    Workspace changed = **got;
    changed.name = "renamed";
    ASSERT_TRUE(repo.update(changed).get().ok());
    EXPECT_EQ(repo.list()->at(0).name, "renamed");
    EXPECT_FALSE(repo.create({.name = "dup", .path = "/home/u/notes"}).get().ok()) << "path is unique";
    ASSERT_TRUE(repo.remove(created->id).get().ok());
    EXPECT_FALSE(repo.get(created->id)->has_value());
    EXPECT_EQ(repo.remove(created->id).get().error().code, "storage.not_found");
}

TEST_F(Repos, TaskCreateGetListUpdate) {
    WorkspaceRepo workspaces(*db);
    TaskRepo tasks(*db);
    auto ws = workspaces.create({.name = "w", .path = "/w"}).get();
    ASSERT_TRUE(ws.ok());
    Task a;
    a.workspace_id = ws->id;
    a.title = "A";
    a.source = {{"channel", "cli"}};
    auto created = tasks.create(a).get();
    ASSERT_TRUE(created.ok());
    make_task(tasks, "other");

    auto got = tasks.get(created->id);
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->source["channel"], "cli");
    EXPECT_EQ((*got)->status, task_status::queued);
    EXPECT_FALSE((*got)->completed_at);

    TaskFilter in_ws;
    in_ws.workspace_id = ws->id;
    EXPECT_EQ(tasks.list(in_ws)->size(), 1u);
    EXPECT_EQ(tasks.list()->size(), 2u);

    auto done = tasks.update_status(created->id, {task_status::completed, Json{{"answer", "42"}}, std::nullopt}).get();
    ASSERT_TRUE(done.ok());
    EXPECT_EQ(done->result["answer"], "42");
    EXPECT_TRUE(done->completed_at.has_value());
    TaskFilter finished;
    finished.statuses = {task_status::completed, task_status::failed};
    ASSERT_EQ(tasks.list(finished)->size(), 1u);
    EXPECT_EQ(tasks.list(finished)->at(0).id, created->id);
    EXPECT_EQ(tasks.update_status("nope", {task_status::running, {}, {}}).get().error().code, "storage.not_found");
}

TEST_F(Repos, ApprovalIsDecidedOnlyOnce) {
    TaskRepo tasks(*db);
    ApprovalRepo approvals(*db);
    make_task(tasks, "t");
    auto a = approvals.create({.task_id = "t", .tool = "shell.run", .request = {{"cmd", "ls"}}}).get();
    ASSERT_TRUE(a.ok());
    auto expiring = approvals.create({.task_id = "t", .tool = "fs.write", .expires_at = 1000}).get();
    ASSERT_TRUE(expiring.ok());
    EXPECT_EQ(approvals.list_pending("t")->size(), 2u);

    auto yes = approvals.decide(a->id, true, "operator:alice", "looks fine").get();
    ASSERT_TRUE(yes.ok());
    EXPECT_EQ(yes->status, "approved");
    EXPECT_EQ(yes->decided_by, "operator:alice");
    auto again = approvals.decide(a->id, false, "operator:bob").get();
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "approval.not_pending");

    EXPECT_EQ(approvals.expire_due(2000).get().value_or(-1), 1);
    EXPECT_EQ((*approvals.get(expiring->id))->status, "expired");
    EXPECT_TRUE(approvals.list_pending()->empty());
}

TEST_F(Repos, SettingsRoundTrip) {
    SettingsRepo settings(*db);
    ASSERT_TRUE(settings.set("ui.theme", "dark").get().ok());
    ASSERT_TRUE(settings.set("limits", {{"tokens", 1000}}).get().ok());
    ASSERT_TRUE(settings.set("ui.theme", "light").get().ok());
    EXPECT_EQ(settings.get("ui.theme")->value(), "light");
    EXPECT_EQ(settings.get("limits")->value()["tokens"], 1000);
    EXPECT_FALSE(settings.get("missing")->has_value());
    EXPECT_EQ(settings.all()->size(), 2u);
    ASSERT_TRUE(settings.remove("limits").get().ok());
    EXPECT_EQ(settings.all()->size(), 1u);
}

TEST_F(Repos, SecureSettingsStoreOpaqueBlobs) {
    SecureSettingsRepo secure(*db);
    const std::vector<std::uint8_t> cipher = {0, 1, 2, 0xff, 0, 7};
    ASSERT_TRUE(secure.put("llm.api_key", {cipher, {9, 9, 9}, "key-1"}).get().ok());
    auto got = secure.get("llm.api_key");
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->ciphertext, cipher) << "embedded NUL bytes must survive";
    EXPECT_EQ((*got)->nonce, (std::vector<std::uint8_t>{9, 9, 9}));
    EXPECT_EQ((*got)->key_id, "key-1");
    EXPECT_EQ(secure.keys_sealed_with("key-1")->size(), 1u);
    EXPECT_FALSE(secure.put("empty", {}).get().ok());
    ASSERT_TRUE(secure.remove("llm.api_key").get().ok());
    EXPECT_TRUE(secure.keys()->empty());
}

TEST_F(Repos, PluginStateRoundTrip) {
    PluginStateRepo states(*db);
    ASSERT_TRUE(states.upsert({.plugin_id = "tool.shell", .state = "running"}).get().ok());
    auto got = states.get("tool.shell");
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_FALSE((*got)->enabled.has_value()) << "never chosen stays NULL";
    ASSERT_TRUE(states.upsert({.plugin_id = "tool.shell", .enabled = false, .state = "stopped", .reason = "user"}).get().ok());
    got = states.get("tool.shell");
    EXPECT_EQ((*got)->enabled, false);
    EXPECT_EQ((*got)->reason, "user");
    EXPECT_EQ(states.list()->size(), 1u);
}

TEST_F(Repos, AuditLogAppendsQueriesAndRedacts) {
    AuditLog audit(*db);
    Redactor::instance().add("hunter2-password");
    auto first = audit.append({.ts = 100, .actor = "operator:alice", .action = "tool.call", .target = "shell",
                               .decision = "allow", .rule = "ws.shell", .details = {{"cmd", "echo hunter2-password"}}})
                     .get();
    auto second = audit.append({.ts = 200, .actor = "plugin:x", .action = "approval.respond"}).get();
    Redactor::instance().clear();
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_GT(*second, *first);

    auto all = audit.query();
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ(all->at(0).id, *second) << "newest first";
    EXPECT_EQ(all->at(1).details["cmd"].get<std::string>().find("hunter2"), std::string::npos);
    EXPECT_EQ(audit.query({.actor = "operator:alice"})->size(), 1u);
    EXPECT_EQ(audit.query({.since = 150})->size(), 1u);
    EXPECT_EQ(audit.query({.action = "nothing"})->size(), 0u);
}

}  // namespace
}  // namespace cowork::kernel::storage
