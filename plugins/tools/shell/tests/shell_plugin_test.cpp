// The plugin through its C ABI: argument checks, refusals, env scrub,
// streaming, cancel — with whichever sandbox works here.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

using namespace cowork::shell;
using namespace cowork::shell::testing;
using namespace std::chrono_literals;

namespace {

class ShellPluginTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto& caps = machine_capabilities();
        if (!caps.bwrap_works && !caps.landlock_works) GTEST_SKIP() << "no sandbox works here";
        harness_ = std::make_unique<Harness>(Json{{"kill_grace_ms", 200}});
    }
    std::unique_ptr<Harness> harness_;
};

}  // namespace

TEST_F(ShellPluginTest, ListsRunCommandWithSandboxStatus) {
    const auto r = harness_->list_tools();
    ASSERT_EQ(r.status, COWORK_OK);
    const auto& tool = r.body["tools"][0];
    EXPECT_EQ(tool["name"], "run_command");
    EXPECT_EQ(tool["annotations"]["approval"], "exec");
    EXPECT_EQ(tool["annotations"]["readOnly"], false);
    EXPECT_EQ(tool["inputSchema"]["required"][0], "command");
    const auto& status = r.body["status"];
    EXPECT_TRUE(status["ready"].get<bool>());
    EXPECT_TRUE(status["mechanism"] == "bubblewrap" || status["mechanism"] == "landlock+seccomp") << status.dump();
    EXPECT_FALSE(status["guarantees"].empty());
    EXPECT_FALSE(status["limitations"].empty());
}

TEST_F(ShellPluginTest, ReturnsOutputExitCodeAndStreamsEvents) {
    const auto r = harness_->run({{"command", "echo hello; echo oops >&2; exit 4"}});
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_TRUE(r.body["isError"].get<bool>());
    EXPECT_EQ(r.body["data"]["exitCode"], 4);
    EXPECT_NE(r.text().find("hello"), std::string::npos);
    EXPECT_NE(r.text().find("oops"), std::string::npos);
    EXPECT_NE(r.text().find("[exit code 4]"), std::string::npos);
    bool saw_stdout = false, saw_stderr = false;
    for (const auto& e : r.events) {
        if (e["type"] != "output") continue;
        if (e["stream"] == "stdout" && e["text"].get<std::string>().find("hello") != std::string::npos) saw_stdout = true;
        if (e["stream"] == "stderr" && e["text"].get<std::string>().find("oops") != std::string::npos) saw_stderr = true;
    }
    EXPECT_TRUE(saw_stdout);
    EXPECT_TRUE(saw_stderr);
}

TEST_F(ShellPluginTest, SuccessIsNotAnError) {
    const auto r = harness_->run({{"command", "pwd"}});
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_FALSE(r.body["isError"].get<bool>());
    EXPECT_EQ(r.text(), harness_->workspace().string() + "\n");
}

TEST_F(ShellPluginTest, OutputIsCappedAt100KB) {
    const auto r = harness_->run({{"command", "echo START; seq 1 100000; echo END"}});
    ASSERT_EQ(r.status, COWORK_OK);
    EXPECT_TRUE(r.body["data"]["truncated"].get<bool>());
    EXPECT_LT(r.text().size(), 100u * 1024 + 200);
    EXPECT_EQ(r.text().rfind("START", 0), 0u);
    EXPECT_NE(r.text().find("END"), std::string::npos);
    EXPECT_NE(r.text().find("bytes omitted"), std::string::npos);
}

TEST_F(ShellPluginTest, EnvIsScrubbedEvenWhenTheModelPassesSecrets) {
    ::setenv("FOO_TOKEN", "canary-process", 1);
    ::setenv("COWORK_PASSPHRASE", "canary-kernel", 1);
    const auto r = harness_->run({{"command", "env"}, {"env", {{"FOO_TOKEN", "canary-arg"}, {"BUILD_MODE", "fast"}}}});
    ::unsetenv("FOO_TOKEN");
    ::unsetenv("COWORK_PASSPHRASE");
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_EQ(r.text().find("canary"), std::string::npos) << r.text();
    EXPECT_NE(r.text().find("BUILD_MODE=fast"), std::string::npos);
    EXPECT_EQ(r.body["data"]["envDropped"], Json::array({"FOO_TOKEN"}));
    EXPECT_NE(r.text().find("HOME="), std::string::npos);
}

TEST_F(ShellPluginTest, CwdRelativeToWorkspace) {
    fs::create_directories(harness_->workspace() / "a" / "b");
    const auto r = harness_->run({{"command", "pwd"}, {"cwd", "a/b"}});
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_EQ(r.text(), (harness_->workspace() / "a" / "b").string() + "\n");
}

TEST_F(ShellPluginTest, CwdEscapesAreRefused) {
    TempDir outside;
    fs::create_symlink(outside.path(), harness_->workspace() / "link-out");
    const std::vector<std::string> escapes{"..", "../..", "/etc", "a/../../..", "link-out", outside.str()};
    for (const auto& cwd : escapes) {
        const auto r = harness_->run({{"command", "touch escaped"}, {"cwd", cwd}});
        EXPECT_EQ(r.status, COWORK_E_DENIED) << cwd << " → " << r.body.dump();
        EXPECT_NE(r.message().find("outside the workspace"), std::string::npos) << r.message();
    }
    EXPECT_FALSE(fs::exists(outside.path() / "escaped"));
}

TEST_F(ShellPluginTest, BlockedCommandsAreRefusedBeforeSpawning) {
    const auto r = harness_->run({{"command", "touch spawned; rm -rf /"}});
    EXPECT_EQ(r.status, COWORK_E_DENIED);
    EXPECT_NE(r.message().find("recursive delete"), std::string::npos) << r.message();
    EXPECT_FALSE(fs::exists(harness_->workspace() / "spawned"));
}

TEST_F(ShellPluginTest, ConfiguredBlockedPatternsApply) {
    Harness h(Json{{"blocked_commands", Json::array({R"(\bnpm\s+publish\b)"})}});
    const auto r = h.run({{"command", "npm publish --access public"}});
    EXPECT_EQ(r.status, COWORK_E_DENIED);
    EXPECT_NE(r.message().find("npm"), std::string::npos) << r.message();
}

TEST_F(ShellPluginTest, TimeoutIsReportedAndKillsTheTree) {
    const auto r = harness_->run({{"command", "sleep 97.501 & sleep 97.501"}, {"timeoutMs", 300}});
    ASSERT_EQ(r.status, COWORK_OK);
    EXPECT_TRUE(r.body["data"]["timedOut"].get<bool>());
    EXPECT_TRUE(r.body["isError"].get<bool>());
    EXPECT_NE(r.text().find("timed out"), std::string::npos);
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(processes_with_cmdline("sleep 97.501").empty());
    EXPECT_TRUE(zombie_children().empty());
}

TEST_F(ShellPluginTest, CancelSlotStopsTheCall) {
    CallResult r;
    std::thread runner([&] { r = harness_->run({{"command", "sleep 97.502 & sleep 97.502"}}, Json::object(), "call-cancel"); });
    bool cancelled = false;
    for (int i = 0; i < 100 && !cancelled; ++i) {
        std::this_thread::sleep_for(50ms);
        cancelled = harness_->cancel("call-cancel").body.value("cancelled", false);
    }
    runner.join();
    EXPECT_TRUE(cancelled);
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_TRUE(r.body["data"]["cancelled"].get<bool>());
    EXPECT_LT(r.body["data"]["durationMs"].get<int>(), 5000);
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(processes_with_cmdline("sleep 97.502").empty());
    EXPECT_FALSE(harness_->cancel("call-cancel").body.value("cancelled", true)) << "call still registered";
}

TEST_F(ShellPluginTest, BadArgumentsAreInvalid) {
    EXPECT_EQ(harness_->run({{"command", ""}}).status, COWORK_E_INVALID);
    EXPECT_EQ(harness_->run(Json::object()).status, COWORK_E_INVALID);
    EXPECT_EQ(harness_->run({{"command", "true"}, {"timeoutMs", 0}}).status, COWORK_E_INVALID);
    EXPECT_EQ(harness_->run({{"command", "true"}, {"timeoutMs", 31 * 60 * 1000}}).status, COWORK_E_INVALID);
    EXPECT_EQ(harness_->run({{"command", "true"}, {"env", {{"BAD-NAME", "x"}}}}).status, COWORK_E_INVALID);
    EXPECT_EQ(harness_->run({{"command", "true"}}, Json{{"workspace", "relative/ws"}}).status, COWORK_E_INVALID);
}

TEST(ShellPluginUnsandboxed, NoneIsRefusedWithoutAllowUnsandboxed) {
    Harness h(Json{{"sandbox", "none"}});
    const auto r = h.run({{"command", "touch ran"}});
    EXPECT_EQ(r.status, COWORK_E_DENIED);
    EXPECT_NE(r.message().find("allow_unsandboxed"), std::string::npos) << r.message();
    EXPECT_FALSE(fs::exists(h.workspace() / "ran"));
    EXPECT_FALSE(h.list_tools().body["status"]["ready"].get<bool>());
}

TEST(ShellPluginUnsandboxed, NoneRunsWhenExplicitlyAllowed) {
    Harness h(Json{{"sandbox", "none"}, {"allow_unsandboxed", true}});
    const auto r = h.run({{"command", "echo ok > ran; cat ran"}});
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_EQ(r.body["data"]["sandbox"], "none");
    EXPECT_TRUE(fs::exists(h.workspace() / "ran"));
    EXPECT_NE(h.list_tools().body["status"]["limitations"][0].get<std::string>().find("UNSANDBOXED"), std::string::npos);
}

TEST(ShellPluginConfig, BadConfigFailsInit) {
    EXPECT_THROW(Harness(Json{{"blocked_commands", Json::array({"(unclosed"})}}), cowork::sdk::Error);
    EXPECT_THROW(Harness(Json{{"allow_unsandboxed", "yes"}}), cowork::sdk::Error);
}

TEST(ShellPluginConfig, UnknownToolIsNotFound) {
    Harness h(Json{{"sandbox", "none"}, {"allow_unsandboxed", true}});
    const auto r = h.call({{"callId", "x"}, {"name", "rm_everything"}, {"arguments", Json::object()}});
    EXPECT_EQ(r.status, COWORK_E_NOT_FOUND);
    EXPECT_NE(r.message().find("rm_everything"), std::string::npos);
}
