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

#include <filesystem>

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
