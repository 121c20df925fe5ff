// Kernel assembly pieces: the SQLite job store, plugin config resolution,
// policy requests stated in JSON, the kernel-side JSON slot barrier.
#include "app/json_slot.hpp"
#include "app/plugin_services.hpp"
#include "app/sqlite_job_store.hpp"
#include "app/storage_adapters.hpp"
#include "scheduler/iso8601.hpp"
#include "storage/kernel_schema.hpp"

#include <cowork/sdk/sink.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <mutex>

using namespace cowork::kernel;
using namespace cowork::kernel::app;
namespace fs = std::filesystem;

namespace {

struct TempDb {
    fs::path dir = fs::temp_directory_path() / ("cowork-app-test-" + std::to_string(::getpid()) + "-" +
                                                std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::unique_ptr<storage::Database> db;
    TempDb() { reopen(); }
    ~TempDb() {
        db.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    void reopen() {
        db.reset();
        storage::Migrations m;
        EXPECT_TRUE(m.add(storage::kernel_migrations()).ok());
        EXPECT_TRUE(m.add(scheduler_migrations()).ok());
        auto opened = storage::Database::open({.path = dir / "cowork.db"}, m);
        ASSERT_TRUE(opened.ok()) << opened.error().message;
        db = std::move(opened).value();
    }
};

scheduler::Job cron_job(const std::string& id) {
    scheduler::Job j;
    j.id = id;
    j.schedule = {"cron", "30 2 * * MON-FRI", "Europe/Berlin", ""};
    j.missed = scheduler::MissedRunPolicy::RunAll;
    j.jitter = std::chrono::seconds(45);
    j.payload = {{"prompt", "daily report"}};
    return j;
}

}  // namespace

TEST(SqliteJobStore, JobsSurviveAReopenWithEveryField) {
    TempDb t;
    {
        SqliteJobStore store(*t.db);
        ASSERT_TRUE(store.upsert(cron_job("report")).ok());
        auto next = scheduler::parse_iso8601("2030-01-07T01:30:00Z");
        ASSERT_TRUE(next.ok());
        ASSERT_TRUE(store.record_run("report", *next - std::chrono::hours(24), *next).ok());
        EXPECT_FALSE(store.record_run("missing", std::nullopt, std::nullopt).ok()) << "unknown ids are reported";
    }
    t.reopen();
    SqliteJobStore store(*t.db);
    auto jobs = store.load_all();
    ASSERT_TRUE(jobs.ok()) << jobs.error().message;
    ASSERT_EQ(jobs->size(), 1u);
    const auto& j = jobs->front();
    EXPECT_EQ(j.schedule, cron_job("report").schedule);
    EXPECT_EQ(j.missed, scheduler::MissedRunPolicy::RunAll);
    EXPECT_EQ(j.jitter.count(), 45);
    EXPECT_EQ(j.payload["prompt"], "daily report");
    ASSERT_TRUE(j.next_run.has_value());
    EXPECT_EQ(scheduler::format_iso8601(*j.next_run), "2030-01-07T01:30:00Z");
    ASSERT_TRUE(store.remove("report").ok());
    EXPECT_TRUE(store.load_all()->empty());
}

TEST(PluginConfig, DefaultsThenConfigThenSecretFields) {
    TempDb t;
    auto key = secrets::MasterKey::random();
    ASSERT_TRUE(key.ok());
    secrets::SecretStore store(std::move(*key), std::make_shared<SecureSettingsBackend>(*t.db));
    ASSERT_TRUE(store.put("plugin.channel.x.token", "tok-123456").ok());
    plugins::Manifest m;
    m.id = "channel.x";
    m.config_schema = {{"type", "object"},
                       {"properties",
                        {{"greeting", {{"type", "string"}, {"default", "hi"}}},
                         {"retries", {{"type", "integer"}, {"default", 3}}},
                         {"token", {{"type", "string"}, {"secret", true}}}}}};
    config::Config c;
    c.plugins["channel.x"] = {{"retries", 5}};
    const Json cfg = plugin_config(m, c, &store);
    EXPECT_EQ(cfg["greeting"], "hi");
    EXPECT_EQ(cfg["retries"], 5) << "the config file beats the schema default";
    EXPECT_EQ(cfg["token"], "tok-123456") << "secret fields come from the encrypted store";
    EXPECT_FALSE(plugin_config(m, c, nullptr).contains("token")) << "no store, no secret";
}

TEST(PolicyRequestJson, ParsesAndRejectsClearly) {
    auto r = policy_request_from_json({{"tool", "tool.shell.run_command"},
                                       {"context", "group"},
                                       {"effects", {{"shell", true}}},
                                       {"target", {{"command", "ls"}}}});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->context, policy::Context::group);
    EXPECT_TRUE(r->effects.shell);
    EXPECT_EQ(r->target.command, "ls");
    EXPECT_FALSE(policy_request_from_json({{"context", "everyone"}}).ok());
    EXPECT_FALSE(policy_request_from_json({{"kind", "root"}}).ok());
    EXPECT_FALSE(policy_request_from_json(Json::array()).ok());
}

TEST(JsonSlot, ErrorsMapToStatusesAndNeverThrowAcross) {
    cowork::sdk::Collector c;
    auto st = run_json_handler([](const Json&) -> Result<Json> { return make_error("secrets.denied", "no"); }, "{}", 2, c.sink());
    EXPECT_EQ(st, COWORK_E_DENIED);
    EXPECT_EQ(c.json()["message"], "no");
    cowork::sdk::Collector c2;
    st = run_json_handler([](const Json&) -> Result<Json> { throw std::runtime_error("boom"); }, "{}", 2, c2.sink());
    EXPECT_EQ(st, COWORK_E_INTERNAL);
    cowork::sdk::Collector c3;
    st = run_json_handler([](const Json& in) -> Result<Json> { return in; }, "{bad", 4, c3.sink());
    EXPECT_EQ(st, COWORK_E_INVALID);
}

// cowork.secrets/1 as a plugin sees it: the kernel's real service table over
// a real store, policy engine and audit sink.
namespace {

struct RecordingAudit : policy::AuditSink {
    std::mutex mutex;
    std::vector<Json> requests;
    void record(const policy::AuditRecord& r) noexcept override {
        std::lock_guard lock(mutex);
        requests.push_back(r.request);
    }
};

struct SecretsServiceFixture {
    TempDb t;
    secrets::SecretStore store{secrets::MasterKey::random().value(), std::make_shared<SecureSettingsBackend>(*t.db)};
    std::shared_ptr<RecordingAudit> audit = std::make_shared<RecordingAudit>();
    std::unique_ptr<policy::PolicyEngine> policy =
        policy::PolicyEngine::create(policy::PolicyRules::from_json(Json::object()).value(), audit).value();
    api::Api api;
    config::Config config;
    std::unique_ptr<HostTable> host;  // the plugin's, made by offer()

    const cowork_secrets_v1& offer(const std::string& id, std::vector<std::string> read, std::vector<std::string> write) {
        plugins::Manifest m;
        m.id = id;
        m.type = id.substr(0, id.find('.'));
        m.permissions.secret_read = std::move(read);
        m.permissions.secret_write = std::move(write);
        host = std::make_unique<HostTable>(id, t.dir);
        offer_plugin_services(*host, m, ServiceDeps{*t.db, &store, *policy, api, config});
        return *static_cast<const cowork_secrets_v1*>(host->find(COWORK_SERVICE_SECRETS));
    }
};

struct SlotReply {
    cowork_status status;
    Json out;
};
SlotReply call_slot(cowork_json_fn fn, void* ctx, const Json& in) {
    const std::string text = in.dump();
    cowork::sdk::Collector c;
    const cowork_status st = fn(ctx, text.data(), text.size(), c.sink());
    return {st, c.json()};
}

}  // namespace

TEST(SecretsService, PluginWithSecretWritePutsReadsBackAndDeletes) {
    SecretsServiceFixture f;
    const auto& s = f.offer("tool.mcp", {"mcp.*.oauth.*"}, {"mcp.*.oauth.*"});
    ASSERT_EQ(s.struct_size, sizeof(cowork_secrets_v1));
    ASSERT_NE(s.put, nullptr);

    const Json grant = {{"key", "mcp.files.oauth.grant"}, {"value", "grant-v1"}};
    const auto stored = call_slot(s.put, s.ctx, grant);
    ASSERT_EQ(stored.status, COWORK_OK) << stored.out.dump();
    EXPECT_EQ(stored.out, Json::object());
    auto read = call_slot(s.get, s.ctx, {{"key", "mcp.files.oauth.grant"}});
    ASSERT_EQ(read.status, COWORK_OK) << read.out.dump();
    EXPECT_EQ(read.out.value("value", ""), "grant-v1");
    EXPECT_EQ(f.store.get("mcp.files.oauth.grant").value(), "grant-v1") << "in the kernel's encrypted store";

    ASSERT_EQ(call_slot(s.put, s.ctx, {{"key", "mcp.files.oauth.grant"}, {"value", "grant-v2"}}).status, COWORK_OK);
    EXPECT_EQ(call_slot(s.get, s.ctx, {{"key", "mcp.files.oauth.grant"}}).out.value("value", ""), "grant-v2");

    const auto deleted = call_slot(s.put, s.ctx, {{"key", "mcp.files.oauth.grant"}, {"value", nullptr}});
    ASSERT_EQ(deleted.status, COWORK_OK) << deleted.out.dump();
    EXPECT_EQ(call_slot(s.get, s.ctx, {{"key", "mcp.files.oauth.grant"}}).status, COWORK_E_NOT_FOUND);
    EXPECT_EQ(call_slot(s.put, s.ctx, {{"key", "mcp.files.oauth.grant"}, {"value", nullptr}}).status, COWORK_OK)
        << "deleting an absent key is not an error";
    EXPECT_EQ(call_slot(s.put, s.ctx, {{"key", "mcp.files.oauth.grant"}}).status, COWORK_E_INVALID) << "no value given";

    // Every write was audited as a plugin permission, by key name only.
    std::lock_guard lock(f.audit->mutex);
    const auto writes = std::count_if(f.audit->requests.begin(), f.audit->requests.end(), [](const Json& r) {
        return r.value("permission", "") == "secret:write";
    });
    EXPECT_EQ(writes, 4);
    for (const auto& r : f.audit->requests) EXPECT_EQ(r.dump().find("grant-v"), std::string::npos) << r.dump();
}

TEST(SecretsService, PluginWithoutSecretWriteIsDeniedNamingThePermission) {
    SecretsServiceFixture f;
    ASSERT_TRUE(f.store.put("mcp.files.oauth.grant", "kept").ok());
    // Reading is declared; writing is not (and a write glob for other keys does not count).
    const auto& s = f.offer("tool.reader", {"mcp.*.oauth.*"}, {"tool.reader.*"});
    for (const Json& value : {Json("replaced"), Json(nullptr)}) {
        const auto denied = call_slot(s.put, s.ctx, {{"key", "mcp.files.oauth.grant"}, {"value", value}});
        EXPECT_NE(denied.status, COWORK_OK);
        const std::string message = denied.out.value("message", "");
        EXPECT_NE(message.find("secret:write"), std::string::npos) << denied.out.dump();
        EXPECT_NE(message.find("mcp.files.oauth.grant"), std::string::npos) << denied.out.dump();
        EXPECT_EQ(denied.out.dump().find("replaced"), std::string::npos) << "the value is never echoed";
    }
    EXPECT_EQ(f.store.get("mcp.files.oauth.grant").value(), "kept") << "neither overwritten nor deleted";
    EXPECT_EQ(call_slot(s.get, s.ctx, {{"key", "mcp.files.oauth.grant"}}).out.value("value", ""), "kept");

    // Declared, but the policy refuses: the decision's reason comes back.
    SecretsServiceFixture g;
    g.policy = policy::PolicyEngine::create(
                   policy::PolicyRules::from_json(Json::parse(R"({"tool_rules": [{"id": "no-secret-writes",
                       "decision": "deny", "plugin": "tool.*", "permission": "secret:write"}]})")).value(),
                   g.audit)
                   .value();
    const auto& t = g.offer("tool.mcp", {"mcp.*.oauth.*"}, {"mcp.*.oauth.*"});
    const auto refused = call_slot(t.put, t.ctx, {{"key", "mcp.files.oauth.grant"}, {"value", "x"}});
    EXPECT_EQ(refused.status, COWORK_E_DENIED) << refused.out.dump();
    EXPECT_FALSE(g.store.get("mcp.files.oauth.grant").ok());
}
