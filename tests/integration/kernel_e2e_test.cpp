// coworkd as a person runs it: boots, isolates broken plugins, stops
// cleanly on SIGTERM, survives kill -9, never writes a secret to disk.
#include "process_helpers.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <future>

using namespace cowork::e2e;
using nlohmann::json;

namespace {

std::vector<std::string> fixtures() { return {"--plugin-dir", fixture_plugins().string()}; }

}  // namespace

TEST(Coworkd, BootsWithDefaultsAndCreatesCommentedConfig) {
    Home home;
    Daemon d(home, {});
    ASSERT_TRUE(d.ready());
    EXPECT_EQ(d.report()["plugins"]["failed"], 0);
    EXPECT_EQ(d.stop(SIGTERM), 0);
    const auto config = home.path() / "config/cowork.toml";
    ASSERT_TRUE(std::filesystem::exists(config));
    EXPECT_EQ(std::filesystem::status(config).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::ifstream in(config);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(text.find("# "), std::string::npos) << "the default config explains itself";
    EXPECT_NE(text.find("127.0.0.1"), std::string::npos) << "listeners default to loopback";
}

// The daemon and CLI calls often start together on a fresh home: every one of
// them must succeed and agree on one config file, one key and one database.
TEST(Coworkd, ProcessesStartingTogetherOnAFreshHomeAllSucceed) {
    for (int round = 0; round < 8; ++round) {
        Home home;
        std::vector<std::future<cowork::e2e::Run>> calls;
        for (int i = 0; i < 3; ++i)
            calls.push_back(std::async(std::launch::async, [&home] {
                return run({bin("cowork").string(), "secrets", "list", "--json"}, home);
            }));
        for (auto& call : calls) {
            const cowork::e2e::Run r = call.get();
            ASSERT_EQ(r.exit_code, 0) << "round " << round << ": " << r.out << r.err;
        }
        const cowork::e2e::Run again = run({bin("cowork").string(), "secrets", "list", "--json"}, home);
        EXPECT_EQ(again.exit_code, 0) << again.err;
        EXPECT_EQ(std::filesystem::file_size(home.path() / "config/cowork.toml") > 0, true);
    }
}

TEST(Coworkd, BrokenPluginsAreIsolatedAndTheKernelKeepsRunning) {
    Home home;
    Daemon d(home, fixtures());
    ASSERT_TRUE(d.ready()) << "a bad plugin must never stop the kernel from becoming ready";
    const json counts = d.report()["plugins"];
    EXPECT_GE(counts["running"].get<int>(), 4);
    EXPECT_GE(counts["failed"].get<int>(), 6);
    EXPECT_EQ(kill(d.pid(), 0), 0) << "still alive after every fixture failure";
    EXPECT_EQ(d.stop(SIGTERM), 0);
}

TEST(Coworkd, SigtermStopsWithinTheSlowPluginsDeadline) {
    Home home;
    Daemon d(home, fixtures());
    ASSERT_TRUE(d.ready());
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(d.stop(SIGTERM), 0);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(ms, 5000 + 3000) << "one slow stop (600 ms) must not hold shutdown past its deadline";
    // Stop order is the exact reverse of start order: the chain a ← b ← c
    // started a, b, c, so the log must show c stopping before b before a.
    std::ifstream log(home.path() / "state/coworkd.log");
    const std::string text((std::istreambuf_iterator<char>(log)), {});
    const auto c = text.find("tool.fx-c stop"), b = text.find("tool.fx-b stop"), a = text.find("tool.fx-a stop");
    ASSERT_NE(a, std::string::npos) << text.substr(0, 2000);
    ASSERT_NE(b, std::string::npos);
    EXPECT_LT(b, a);
    if (c != std::string::npos) {
        EXPECT_LT(c, b);
    }
}

TEST(Coworkd, Kill9LeavesADatabaseThatReopensCleanly) {
    Home home;
    for (int round = 0; round < 3; ++round) {
        Daemon d(home, fixtures());
        ASSERT_TRUE(d.ready()) << "round " << round;
        EXPECT_EQ(d.stop(SIGKILL), 128 + SIGKILL);
    }
    auto doctor = run({bin("cowork").string(), "doctor", "--json"}, home);
    const json report = doctor.json();
    ASSERT_TRUE(report.is_object()) << doctor.out << doctor.err;
    bool database_ok = false;
    for (const auto& c : report["checks"])
        if (c["name"] == "database") database_ok = c["status"] == "ok";
    EXPECT_TRUE(database_ok) << report.dump(2);
}

TEST(Coworkd, HelpVersionAndUsageErrors) {
    Home home;
    auto help = run({bin("coworkd").string(), "--help"}, home);
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("--plugin-dir"), std::string::npos);
    auto bad = run({bin("coworkd").string(), "--no-such-flag"}, home);
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("--no-such-flag"), std::string::npos);
}

TEST(Coworkd, BrokenConfigRefusesToStartWithFileLineColumn) {
    Home home;
    std::filesystem::create_directories(home.path() / "config");
    std::ofstream(home.path() / "config/cowork.toml") << "[kernel]\nlog_level = \"info\"\nstop_deadline_ms = \"soon\"\n";
    auto r = run({bin("coworkd").string(), "--exit-when-ready"}, home);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cowork.toml:3:"), std::string::npos) << r.err;
}

TEST(Coworkd, SecretsNeverReachLogsOrTheDatabaseInClear) {
    Home home;
    const std::string canary = "sk-CANARY-7f3e9a1b2c4d";
    auto set = run({bin("cowork").string(), "secrets", "set", "llm.openai.api_key", "--verbose"}, home, canary + "\n");
    ASSERT_EQ(set.exit_code, 0) << set.err;
    // An error path that echoes its input: an invalid key name with the value.
    auto bad = run({bin("cowork").string(), "api", "call", "secret.set", "--verbose", "--params",
                    json{{"key", "bad key " + canary}, {"value", canary}}.dump()},
                   home);
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_EQ(bad.err.find(canary), std::string::npos) << bad.err;
    EXPECT_EQ(bad.out.find(canary), std::string::npos);
    auto list = run({bin("cowork").string(), "secrets", "list", "--json"}, home);
    EXPECT_NE(list.out.find("llm.openai.api_key"), std::string::npos);
    EXPECT_EQ(list.out.find(canary), std::string::npos);
    Daemon d(home, {"--log-level", "trace"});
    ASSERT_TRUE(d.ready());
    d.stop(SIGTERM);
    EXPECT_EQ(home.all_text().find(canary), std::string::npos) << "the canary is on disk in clear somewhere";
}
