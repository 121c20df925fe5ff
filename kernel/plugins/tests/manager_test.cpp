#include "plugins/manager.hpp"

#include "plugins/inprocess_runtime.hpp"
#include "plugins/signing.hpp"
#include "test_support.hpp"

#include <cowork/sdk/sink.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace cowork::kernel::plugins {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::TestHosts;
using Strings = std::vector<std::string>;

class ManagerTest : public ::testing::Test {
protected:
    TempDir tmp;
    TestHosts hosts;
    InProcessRuntime inprocess;

    std::unique_ptr<PluginManager> manager(ManagerOptions options) {
        return std::make_unique<PluginManager>(std::move(options), RuntimeMap{{"inprocess", &inprocess}},
                                               hosts.factory());
    }
    std::unique_ptr<PluginManager> manager_over(const Strings& fixtures) {
        testing::copy_fixtures(tmp.path(), fixtures);
        return manager(testing::options_for(tmp.path()));
    }
};

::testing::AssertionResult is(const PluginManager& pm, const std::string& id, State state,
                              const std::string& phase = "", const std::string& reason_part = "") {
    auto s = pm.status(id);
    if (!s) return ::testing::AssertionFailure() << id << " unknown";
    if (s->state != state || s->phase != phase || s->reason.find(reason_part) == std::string::npos)
        return ::testing::AssertionFailure() << id << " is " << to_string(s->state) << "{" << s->phase << ", "
                                             << s->reason << "}";
    return ::testing::AssertionSuccess();
}

Json entry(const Json& snapshot, const std::string& id, const std::string& state = "") {
    for (const auto& e : snapshot)
        if (e["id"] == id && (state.empty() || e["state"] == state)) return e;
    return nullptr;
}

TEST_F(ManagerTest, GoodChainRunsTheWholeLifecycleInOrder) {
    auto pm = manager_over({"tool.fx-c", "tool.fx-b", "tool.fx-a"});
    pm->start_all();
    for (const char* id : {"tool.fx-a", "tool.fx-b", "tool.fx-c"}) EXPECT_TRUE(is(*pm, id, State::Running));
    const Strings order{"tool.fx-a", "tool.fx-b", "tool.fx-c"};
    const Strings reverse{"tool.fx-c", "tool.fx-b", "tool.fx-a"};
    EXPECT_EQ(pm->load_order(), order);
    EXPECT_EQ(hosts.calls("init"), order);
    EXPECT_EQ(hosts.calls("on_all_initialized"), reverse);
    EXPECT_EQ(hosts.calls("start"), order);
    EXPECT_EQ(pm->start_order(), order);

    pm->stop();
    EXPECT_EQ(hosts.calls("stop"), reverse);
    EXPECT_EQ(hosts.calls("destroy"), reverse);
    for (const char* id : {"tool.fx-a", "tool.fx-b", "tool.fx-c"}) EXPECT_TRUE(is(*pm, id, State::Stopped));
}

TEST_F(ManagerTest, InterfacesComeFromRunningPluginsThatDeclareThem) {
    auto pm = manager_over({"tool.fx-a", "tool.fx-b", "tool.fx-c"});
    pm->start_all();
    auto* tools = static_cast<const cowork_tool_provider_v1*>(pm->interface("tool.fx-c", COWORK_IFACE_TOOL_PROVIDER));
    ASSERT_NE(tools, nullptr);
    sdk::Collector out;
    ASSERT_EQ(tools->list_tools(tools->self, "{}", 2, out.sink()), COWORK_OK);
    EXPECT_EQ(out.json()["tools"][0]["name"], "echo");
    EXPECT_EQ(pm->interface("tool.fx-c", COWORK_IFACE_LLM), nullptr) << "not declared in provides";
    EXPECT_EQ(pm->interface("tool.fx-a", COWORK_IFACE_TOOL_PROVIDER), nullptr);
    auto found = pm->find_interfaces(COWORK_IFACE_TOOL_PROVIDER);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].first, "tool.fx-c");
    pm->stop();
    EXPECT_EQ(pm->interface("tool.fx-c", COWORK_IFACE_TOOL_PROVIDER), nullptr) << "stopped plugins serve nothing";
}

// The kernel (this test process) must survive every fixture at once, and
// the snapshot must say what happened to each.
TEST_F(ManagerTest, EveryFixtureAtOnceKernelSurvivesAndSnapshotExplains) {
    auto pm = manager(testing::options_for(testing::fixture_root()));
    pm->start_all();

    EXPECT_TRUE(is(*pm, "tool.fx-a", State::Running));
    EXPECT_TRUE(is(*pm, "tool.fx-b", State::Running));
    EXPECT_TRUE(is(*pm, "tool.fx-c", State::Running));
    const std::string cycle = "dependency cycle: tool.fx-cycle-x → tool.fx-cycle-y → tool.fx-cycle-x";
    EXPECT_TRUE(is(*pm, "tool.fx-cycle-x", State::Failed, "resolve", cycle));
    EXPECT_TRUE(is(*pm, "tool.fx-cycle-y", State::Failed, "resolve", cycle));
    EXPECT_TRUE(is(*pm, "tool.fx-missing-dep", State::Disabled, "", "requires tool.fx-nowhere (^1), which is not installed"));
    EXPECT_TRUE(is(*pm, "tool.fx-wrong-range", State::Disabled, "", "requires tool.fx-a >=2.0.0, but 1.2.0 is installed"));
    EXPECT_TRUE(is(*pm, "tool.fx-newer-abi", State::Failed, "load", "built for ABI 1.3, kernel has 1.0: update CoWork"));
    EXPECT_TRUE(is(*pm, "tool.fx-stale", State::Failed, "load", "library is version 1.0.0 but the manifest says 1.1.0"));
    EXPECT_TRUE(is(*pm, "tool.fx-no-entry", State::Failed, "load", "missing symbol cowork_entry"));
    EXPECT_TRUE(is(*pm, "tool.fx-throw-init", State::Failed, "init", "database unreachable (fixture refuses to init)"));
    EXPECT_TRUE(is(*pm, "tool.fx-after-throw", State::Disabled, "", "requires tool.fx-throw-init, which is failed (init)"));
    EXPECT_TRUE(is(*pm, "tool.fx-fail-start", State::Failed, "start", "port 8080 is already in use"));
    EXPECT_TRUE(is(*pm, "tool.fx-slow-stop", State::Running));
    // The crash-in-start fixture needs the out-of-process runtime, absent here.
    EXPECT_TRUE(is(*pm, "tool.fx-crash-start", State::Failed, "load", "no runtime for kind process"));
    EXPECT_TRUE(is(*pm, "tool.fx-crash-call", State::Failed, "load", "no runtime for kind process"));

    const Json snap = pm->snapshot();
    const Json c = entry(snap, "tool.fx-c");
    EXPECT_EQ(c["state"], "Running");
    EXPECT_EQ(c["version"], "2.0.0");
    EXPECT_EQ(c["type"], "tool");
    EXPECT_EQ(c["provides"], Json::array({COWORK_IFACE_TOOL_PROVIDER}));
    EXPECT_EQ(c["root"], testing::fixture_root().string());
    const Json init_failed = entry(snap, "tool.fx-throw-init");
    EXPECT_EQ(init_failed["phase"], "init");
    EXPECT_EQ(init_failed["state"], "Failed");

    const auto before = std::chrono::steady_clock::now();
    pm->stop();
    const auto took = std::chrono::steady_clock::now() - before;
    EXPECT_LT(took, std::chrono::milliseconds(550)) << "the slow stop (600 ms) must be abandoned at its deadline";
    EXPECT_TRUE(is(*pm, "tool.fx-slow-stop", State::Failed, "stop", "did not stop within 150 ms"));
    EXPECT_TRUE(is(*pm, "tool.fx-c", State::Stopped));
    EXPECT_TRUE(is(*pm, "tool.fx-a", State::Stopped));
}

TEST_F(ManagerTest, StopIsTheExactReverseOfStartAcrossUnrelatedPlugins) {
    auto pm = manager_over({"tool.fx-a", "tool.fx-b", "tool.fx-slow-stop", "tool.fx-fail-start"});
    pm->start_all();
    const Strings started{"tool.fx-a", "tool.fx-b", "tool.fx-slow-stop"};
    EXPECT_EQ(pm->start_order(), started);
    pm->stop();
    EXPECT_EQ(hosts.calls("stop"), (Strings{"tool.fx-slow-stop", "tool.fx-b", "tool.fx-a"}));
    // fail-start was destroyed when its start failed; the abandoned plugin is
    // never destroyed, because its stop may still be running.
    EXPECT_EQ(hosts.calls("destroy"), (Strings{"tool.fx-fail-start", "tool.fx-b", "tool.fx-a"}));
}

TEST_F(ManagerTest, DisabledInConfigCascadesToDependents) {
    testing::copy_fixtures(tmp.path(), {"tool.fx-a", "tool.fx-b", "tool.fx-c"});
    auto options = testing::options_for(tmp.path());
    options.disabled = {"tool.fx-a"};
    auto pm = manager(options);
    pm->start_all();
    EXPECT_TRUE(is(*pm, "tool.fx-a", State::Disabled, "", "disabled in config"));
    EXPECT_TRUE(is(*pm, "tool.fx-b", State::Disabled, "", "requires tool.fx-a, which is disabled: disabled in config"));
    EXPECT_TRUE(is(*pm, "tool.fx-c", State::Disabled, "", "requires tool.fx-b"));
    EXPECT_TRUE(hosts.calls("init").empty()) << "no disabled plugin's code ran";
}

TEST_F(ManagerTest, EnabledByDefaultFalseNeedsAnExplicitEnable) {
    testing::copy_fixtures(tmp.path(), {"tool.fx-a"});
    testing::edit_manifest(tmp.path() / "tool.fx-a", [](Json& m) { m["enabledByDefault"] = false; });
    {
        auto pm = manager(testing::options_for(tmp.path()));
        pm->start_all();
        EXPECT_TRUE(is(*pm, "tool.fx-a", State::Disabled, "", "enabledByDefault"));
    }
    auto options = testing::options_for(tmp.path());
    options.enabled = {"tool.fx-a"};
    auto pm = manager(options);
    pm->start_all();
    EXPECT_TRUE(is(*pm, "tool.fx-a", State::Running));
}

TEST_F(ManagerTest, MalformedManifestFailsThatPluginOnly) {
    testing::copy_fixtures(tmp.path(), {"tool.fx-a"});
    fs::create_directories(tmp.path() / "tool.broken");
    std::ofstream(tmp.path() / "tool.broken" / "cowork.plugin.json") << "{\n  \"id\": \"tool.broken\",\n  oops\n}";
    auto pm = manager(testing::options_for(tmp.path()));
    pm->start_all();
    EXPECT_TRUE(is(*pm, "tool.broken", State::Failed, "read", "line 3, column"));
    EXPECT_TRUE(is(*pm, "tool.fx-a", State::Running));
    EXPECT_EQ(entry(pm->snapshot(), "tool.broken")["version"], nullptr);
}

TEST_F(ManagerTest, SchemaViolationFailsValidateNamingTheKey) {
    testing::copy_fixtures(tmp.path(), {"tool.fx-a"});
    testing::edit_manifest(tmp.path() / "tool.fx-a", [](Json& m) { m["runtime"]["kind"] = "thread"; });
    auto pm = manager(testing::options_for(tmp.path()));
    pm->start_all();
    EXPECT_TRUE(is(*pm, "tool.fx-a", State::Failed, "validate", "/runtime/kind: must be one of inprocess, process"));
}

TEST_F(ManagerTest, KernelTooOldForMinVersion) {
    testing::copy_fixtures(tmp.path(), {"tool.fx-a"});
    testing::edit_manifest(tmp.path() / "tool.fx-a", [](Json& m) { m["kernel"]["minVersion"] = "9.0.0"; });
    auto pm = manager(testing::options_for(tmp.path()));
    pm->start_all();
    EXPECT_TRUE(is(*pm, "tool.fx-a", State::Failed, "validate", "needs CoWork 9.0.0 or newer"));
}

TEST_F(ManagerTest, ShadowedCopiesAreReported) {
    const auto first = tmp.path() / "first", second = tmp.path() / "second";
    testing::copy_fixtures(first, {"tool.fx-a"});
    testing::copy_fixtures(second, {"tool.fx-a"});
    auto options = testing::options_for(first);
    options.roots.push_back({"extra", second});
    auto pm = manager(options);
    pm->start_all();
    const Json shadowed = entry(pm->snapshot(), "tool.fx-a", "Shadowed");
    ASSERT_FALSE(shadowed.is_null());
    EXPECT_EQ(shadowed["dir"], (second / "tool.fx-a").string());
    EXPECT_NE(shadowed["reason"].get<std::string>().find((first / "tool.fx-a").string()), std::string::npos);
    EXPECT_EQ(entry(pm->snapshot(), "tool.fx-a")["root"], first.string());
}

TEST_F(ManagerTest, CorruptedLibrariesNeverReachDlopen) {
    testing::copy_fixtures(tmp.path(), {"tool.fx-a", "tool.fx-b"});
    // Bit-flipped with the original hash still recorded: hash mismatch.
    const auto a = tmp.path() / "tool.fx-a" / "tool.fx-a.so";
    {
        std::fstream f(a, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(fs::file_size(a) / 2));
        f.put('\x5A');
    }
    // Truncated with a matching hash re-recorded: only the ELF check stands
    // between this file and a SIGBUS in dlopen.
    testing::edit_manifest(tmp.path() / "tool.fx-b", [](Json& m) { m.erase("dependencies"); });
    fs::resize_file(tmp.path() / "tool.fx-b" / "tool.fx-b.so", 4096);
    ASSERT_TRUE(record_hash(tmp.path() / "tool.fx-b"));
    auto pm = manager(testing::options_for(tmp.path()));
    pm->start_all();
    EXPECT_TRUE(is(*pm, "tool.fx-a", State::Failed, "verify", "does not match its recorded SHA-256"));
    EXPECT_TRUE(is(*pm, "tool.fx-b", State::Failed, "verify", "truncated ELF"));
}

TEST_F(ManagerTest, UnverifiedPluginIsRefusedWithAdvice) {
    testing::copy_fixtures(tmp.path(), {"tool.fx-a"});
    fs::remove(tmp.path() / "tool.fx-a" / "cowork.plugin.sha256");
    auto pm = manager(testing::options_for(tmp.path()));
    pm->start_all();
    EXPECT_TRUE(is(*pm, "tool.fx-a", State::Failed, "verify", "cowork plugins trust tool.fx-a"));
}

TEST_F(ManagerTest, SignedPluginLoadsWithATrustedKey) {
    testing::copy_fixtures(tmp.path(), {"tool.fx-a"});
    fs::remove(tmp.path() / "tool.fx-a" / "cowork.plugin.sha256");
    const SigningKey key = generate_signing_key();
    ASSERT_TRUE(sign(tmp.path() / "tool.fx-a", key));
    auto options = testing::options_for(tmp.path());
    options.trusted_keys = {{"test", key.public_key}};
    auto pm = manager(options);
    pm->start_all();
    EXPECT_TRUE(is(*pm, "tool.fx-a", State::Running));
}

TEST_F(ManagerTest, NoHostTableRefusesTheLoad) {
    testing::copy_fixtures(tmp.path(), {"tool.fx-a"});
    PluginManager pm(testing::options_for(tmp.path()), {{"inprocess", &inprocess}},
                     [](const Manifest&) -> Result<const cowork_host*> {
                         return static_cast<const cowork_host*>(nullptr);
                     });
    pm.start_all();
    EXPECT_TRUE(is(pm, "tool.fx-a", State::Failed, "load", "no host table"));
}

TEST_F(ManagerTest, DestructorStopsWhatStillRuns) {
    {
        auto pm = manager_over({"tool.fx-a", "tool.fx-b"});
        pm->start_all();
    }
    EXPECT_EQ(hosts.calls("stop"), (Strings{"tool.fx-b", "tool.fx-a"}));
}

}  // namespace
}  // namespace cowork::kernel::plugins
