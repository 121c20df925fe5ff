// The cowork CLI: the same API methods the control plane serves, with
// human and --json output, exit codes scripts can rely on.
#include "process_helpers.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace cowork::e2e;
using nlohmann::json;

namespace {

Run cli(const Home& home, std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), bin("cowork").string());
    return run(args, home, input);
}

json state_of(const json& list, const std::string& id) {
    for (const auto& p : list)
        if (p.value("id", "") == id) return p;
    return nullptr;
}

}  // namespace

TEST(CoworkCli, PluginsListShowsEveryFailureModeWithItsReason) {
    Home home;
    auto r = cli(home, {"plugins", "list", "--json", "--plugin-dir", fixture_plugins().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json list = r.json();
    ASSERT_TRUE(list.is_array()) << r.out;
    struct Expect {
        const char* id;
        const char* state;
        const char* phase;
        const char* reason_part;
    };
    const Expect table[] = {
        {"tool.fx-a", "Initialized", "", ""},
        {"tool.fx-cycle-x", "Failed", "resolve", "cycle"},
        {"tool.fx-missing-dep", "Disabled", "", "tool.fx-nowhere"},
        {"tool.fx-wrong-range", "Disabled", "", ">=2.0.0"},
        {"tool.fx-newer-abi", "Failed", "load", "ABI 1.3"},
        {"tool.fx-stale", "Failed", "load", "stale"},
        {"tool.fx-no-entry", "Failed", "load", "cowork_entry"},
        {"tool.fx-throw-init", "Failed", "init", "refuses to init"},
        {"tool.fx-after-throw", "Disabled", "", "tool.fx-throw-init"},
    };
    for (const auto& e : table) {
        const json p = state_of(list, e.id);
        ASSERT_FALSE(p.is_null()) << e.id;
        EXPECT_EQ(p.value("state", ""), e.state) << e.id << ": " << p.dump();
        EXPECT_EQ(p.value("phase", ""), e.phase) << e.id;
        EXPECT_NE(p.value("reason", "").find(e.reason_part), std::string::npos) << e.id << ": " << p.dump();
    }
    auto human = cli(home, {"plugins", "list", "--plugin-dir", fixture_plugins().string()});
    EXPECT_NE(human.out.find("tool.fx-stale"), std::string::npos);
    EXPECT_NE(human.out.find("Failed"), std::string::npos);
}

TEST(CoworkCli, ConfigCheckReportsEveryProblemWithLocation) {
    Home home;
    const auto file = home.path() / "bad.toml";
    std::ofstream(file) << "[kernel]\nlog_level = 5\n[control_plane]\nport = \"x\"\n";
    auto r = cli(home, {"config", "check", "--config", file.string(), "--json"});
    EXPECT_EQ(r.exit_code, 1);
    const json j = r.json();
    ASSERT_TRUE(j.is_object()) << r.out;
    ASSERT_GE(j["problems"].size(), 2u) << "every problem, not just the first";
    EXPECT_EQ(j["problems"][0]["line"], 2);
    auto syntax = home.path() / "syntax.toml";
    std::ofstream(syntax) << "[kernel\n";
    auto s = cli(home, {"config", "check", "--config", syntax.string()});
    EXPECT_EQ(s.exit_code, 1);
    EXPECT_NE(s.out.find("syntax.toml:1:"), std::string::npos) << s.out;
}

TEST(CoworkCli, VersionHelpAndUsageErrors) {
    Home home;
    auto v = cli(home, {"version", "--json"});
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_EQ(v.json()["abi"][0], 1);
    auto help = cli(home, {"--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("plugins list"), std::string::npos);
    auto sub = cli(home, {"plugins", "list", "--help"});
    EXPECT_EQ(sub.exit_code, 0);
    EXPECT_NE(sub.out.find("Usage: cowork plugins list"), std::string::npos);
    EXPECT_EQ(cli(home, {"frobnicate"}).exit_code, 2);
    EXPECT_EQ(cli(home, {"plugins", "list", "--bogus"}).exit_code, 2);
    EXPECT_EQ(cli(home, {"plugins", "enable"}).exit_code, 2) << "missing ID is a usage error";
}

TEST(CoworkCli, DoctorJsonNamesFailedPluginsAndWhatToDo) {
    Home home;
    auto r = cli(home, {"doctor", "--json", "--plugin-dir", fixture_plugins().string()});
    EXPECT_EQ(r.exit_code, 1) << "failed plugins make doctor fail";
    const json j = r.json();
    ASSERT_TRUE(j.is_object()) << r.out;
    bool named = false;
    for (const auto& c : j["checks"])
        if (c["name"] == "plugin tool.fx-stale") named = c["status"] == "fail" && !c["fix"].get<std::string>().empty();
    EXPECT_TRUE(named) << j.dump(2);
}

TEST(CoworkCli, DisableTakesEffectAtNextStartAndPersists) {
    Home home;
    auto r = cli(home, {"plugins", "disable", "tool.fx-a", "--plugin-dir", fixture_plugins().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto list = cli(home, {"plugins", "list", "--json", "--plugin-dir", fixture_plugins().string()}).json();
    EXPECT_EQ(state_of(list, "tool.fx-a").value("state", ""), "Disabled");
    EXPECT_EQ(state_of(list, "tool.fx-b").value("state", ""), "Disabled") << "dependents follow";
    ASSERT_EQ(cli(home, {"plugins", "enable", "tool.fx-a", "--plugin-dir", fixture_plugins().string()}).exit_code, 0);
    list = cli(home, {"plugins", "list", "--json", "--plugin-dir", fixture_plugins().string()}).json();
    EXPECT_EQ(state_of(list, "tool.fx-a").value("state", ""), "Initialized");
    EXPECT_NE(cli(home, {"plugins", "disable", "tool.nope"}).exit_code, 0);
}

TEST(CoworkCli, ApiMethodsAndScopedCalls) {
    Home home;
    auto methods = cli(home, {"api", "methods", "--json"});
    ASSERT_EQ(methods.exit_code, 0);
    bool has_doctor = false;
    for (const auto& m : methods.json())
        if (m["name"] == "doctor") has_doctor = m["scope"] == "admin";
    EXPECT_TRUE(has_doctor);
    auto unknown = cli(home, {"api", "call", "nope.nothing", "--json"});
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_EQ(unknown.json()["error"]["code"], "UNKNOWN_METHOD");
    auto badjson = cli(home, {"api", "call", "health", "--params", "{not json"});
    EXPECT_NE(badjson.exit_code, 0);
    EXPECT_NE(badjson.err.find("--params"), std::string::npos);
}
