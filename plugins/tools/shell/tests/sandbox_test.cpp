// Each sandbox mechanism this machine supports, exercised for real through
// the plugin: writes, reads, network, process containment.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>
#include <unistd.h>

using namespace cowork::shell;
using namespace cowork::shell::testing;
using namespace std::chrono_literals;

namespace {

bool works(const std::string& mechanism) {
    const auto& caps = machine_capabilities();
    return mechanism == "bubblewrap" ? caps.bwrap_works : caps.landlock_works;
}

std::string why_not(const std::string& mechanism) {
    const auto& caps = machine_capabilities();
    return mechanism == "bubblewrap" ? caps.bwrap_detail : caps.landlock_detail;
}

class SandboxTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (!works(GetParam())) GTEST_SKIP() << GetParam() << " does not work on this machine: " << why_not(GetParam());
        harness_ = std::make_unique<Harness>(Json{{"sandbox", GetParam()}, {"kill_grace_ms", 200}});
        // Outside the workspace, not under /tmp and not in a home directory:
        // only the sandbox itself can stop writes here.
        outside_ = std::make_unique<TempDir>(fs::current_path(), "outside-");
    }

    CallResult run(const std::string& command, Json context = Json::object()) {
        return harness_->run({{"command", command}, {"timeoutMs", 10000}}, std::move(context));
    }

    std::unique_ptr<Harness> harness_;
    std::unique_ptr<TempDir> outside_;
};

}  // namespace

TEST_P(SandboxTest, ReportsTheMechanismUsed) {
    const auto r = run("true");
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_EQ(r.body["data"]["sandbox"], GetParam() == "bubblewrap" ? "bubblewrap" : "landlock+seccomp");
}

TEST_P(SandboxTest, WritingInsideTheWorkspaceWorks) {
    const auto r = run("mkdir -p sub && echo data > sub/file.txt && cat sub/file.txt");
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_EQ(r.body["data"]["exitCode"], 0) << r.text();
    std::ifstream f(harness_->workspace() / "sub" / "file.txt");
    std::string content;
    std::getline(f, content);
    EXPECT_EQ(content, "data");
}

TEST_P(SandboxTest, WritingOutsideTheWorkspaceFails) {
    const auto target = outside_->path() / "outside-canary";
    const auto r = run("touch '" + target.string() + "'");
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_NE(r.body["data"]["exitCode"], 0) << r.text();
    EXPECT_TRUE(r.body["isError"].get<bool>());
    EXPECT_FALSE(fs::exists(target));
}

TEST_P(SandboxTest, WritingToHostTmpDoesNotLand) {
    const std::string canary = "/tmp/outside-canary-" + std::to_string(::getpid());
    const auto r = run("touch " + canary + " ; echo done");
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_FALSE(fs::exists(canary)) << "the command wrote to the host's /tmp";
    std::error_code ec;
    fs::remove(canary, ec);
}

TEST_P(SandboxTest, TheSystemIsReadOnlyEvenForRoot) {
    const auto r = run("echo x > /etc/cowork-shell-canary; echo x > /usr/cowork-shell-canary");
    ASSERT_EQ(r.status, COWORK_OK);
    EXPECT_FALSE(fs::exists("/etc/cowork-shell-canary"));
    EXPECT_FALSE(fs::exists("/usr/cowork-shell-canary"));
    EXPECT_TRUE(r.body["isError"].get<bool>());
}

TEST_P(SandboxTest, TheRealUsersHomeIsUnreadable) {
    // A home directory with a secret, outside /tmp, that the sandbox must hide.
    TempDir fake_home(fs::current_path(), "home-");
    {
        std::ofstream(fake_home.path() / ".netrc") << "machine x login me password hunter2-canary\n";
    }
    const char* old_home = ::getenv("HOME");
    const std::string saved = old_home ? old_home : "";
    ::setenv("HOME", fake_home.str().c_str(), 1);
    auto h = std::make_unique<Harness>(Json{{"sandbox", GetParam()}});
    const auto r = h->run({{"command", "cat '" + (fake_home.path() / ".netrc").string() + "'"}});
    if (old_home) ::setenv("HOME", saved.c_str(), 1);
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_EQ(r.text().find("hunter2-canary"), std::string::npos) << r.text();
    EXPECT_NE(r.body["data"]["exitCode"], 0);
}

TEST_P(SandboxTest, RootsHomeAndShadowAreUnreadable) {
    if (::geteuid() != 0 || !fs::is_directory("/root")) GTEST_SKIP() << "needs root and /root";
    const fs::path secret = "/root/.cowork-shell-test-" + std::to_string(::getpid());
    {
        std::ofstream(secret) << "root-secret-canary\n";
    }
    const auto r = run("cat " + secret.string() + "; head -c 64 /etc/shadow | grep -c root");
    fs::remove(secret);
    ASSERT_EQ(r.status, COWORK_OK);
    EXPECT_EQ(r.text().find("root-secret-canary"), std::string::npos) << r.text();
    EXPECT_EQ(r.text().find("root:"), std::string::npos) << r.text();
}

TEST_P(SandboxTest, NetworkOffCannotReachLoopback) {
    LoopbackListener listener;
    const auto r = run("bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(listener.port()) + "' && echo CONNECTED");
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_EQ(r.text().find("CONNECTED"), std::string::npos) << r.text();
    EXPECT_NE(r.body["data"]["exitCode"], 0);
}

TEST_P(SandboxTest, NetworkOnReachesLoopback) {
    LoopbackListener listener;
    const auto r = run("bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(listener.port()) + "' && echo CONNECTED",
                       Json{{"network", true}});
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    EXPECT_NE(r.text().find("CONNECTED"), std::string::npos) << r.text();
    EXPECT_EQ(r.body["data"]["network"], true);
}

TEST_P(SandboxTest, TimeoutKillsEverythingEvenAfterSetsid) {
    // setsid would leave the process group; each mechanism must still get it.
    const auto r = harness_->run({{"command", "setsid sleep 97.411 & sleep 97.411 & wait"}, {"timeoutMs", 400}});
    ASSERT_EQ(r.status, COWORK_OK) << r.body.dump();
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(processes_with_cmdline("sleep 97.411").empty()) << "a process survived: " << r.text();
    EXPECT_TRUE(zombie_children().empty());
}

TEST_P(SandboxTest, CannotReadTheCallersEnvironmentThroughProc) {
    // /proc/<pid>/environ holds the environment the test binary started with;
    // the kernel's would hold its API keys. PATH is always in it.
    const auto r = run("cat /proc/" + std::to_string(::getpid()) + "/environ");
    ASSERT_EQ(r.status, COWORK_OK);
    EXPECT_EQ(r.text().find("PATH="), std::string::npos) << r.text();
    EXPECT_NE(r.body["data"]["exitCode"], 0);
}

INSTANTIATE_TEST_SUITE_P(Mechanisms, SandboxTest, ::testing::Values("bubblewrap", "landlock"),
                         [](const auto& info) { return info.param; });

TEST(SandboxMachine, AtLeastOneRealMechanismWorksHere) {
    const auto& caps = machine_capabilities();
    EXPECT_TRUE(caps.bwrap_works || caps.landlock_works)
        << "bubblewrap: " << caps.bwrap_detail << "; landlock: " << caps.landlock_detail;
}

TEST(SandboxChoice, NoneIsRefusedWithoutAllowUnsandboxed) {
    SandboxSettings s;
    s.requested = "none";
    const auto c = choose_mechanism(s, Capabilities{});
    EXPECT_FALSE(c.mechanism);
    EXPECT_NE(c.refusal.find("allow_unsandboxed"), std::string::npos);
    s.allow_unsandboxed = true;
    EXPECT_EQ(choose_mechanism(s, Capabilities{}).mechanism, Mechanism::None);
}

TEST(SandboxChoice, AutoPrefersBubblewrapThenLandlockAndNeverSilentlyUnsandboxed) {
    SandboxSettings s;
    Capabilities caps;
    caps.bwrap_works = caps.landlock_works = true;
    EXPECT_EQ(choose_mechanism(s, caps).mechanism, Mechanism::Bubblewrap);
    caps.bwrap_works = false;
    EXPECT_EQ(choose_mechanism(s, caps).mechanism, Mechanism::Landlock);
    caps.landlock_works = false;
    EXPECT_FALSE(choose_mechanism(s, caps).mechanism);
    s.allow_unsandboxed = true;
    EXPECT_EQ(choose_mechanism(s, caps).mechanism, Mechanism::None);
}

TEST(SandboxChoice, AForcedMechanismThatFailsIsRefusedNotReplaced) {
    SandboxSettings s;
    s.requested = "bubblewrap";
    s.allow_unsandboxed = true;
    Capabilities caps;
    caps.landlock_works = true;
    caps.bwrap_detail = "bwrap not installed";
    const auto c = choose_mechanism(s, caps);
    EXPECT_FALSE(c.mechanism);
    EXPECT_NE(c.refusal.find("bwrap not installed"), std::string::npos);
}

TEST(LandlockPaths, EtcSecretsAreLeftOut) {
    const auto paths = landlock_system_read_paths();
    EXPECT_EQ(std::count(paths.begin(), paths.end(), "/etc"), 0) << "/etc granted whole";
    if (fs::exists("/etc/shadow")) {
        EXPECT_EQ(std::count(paths.begin(), paths.end(), "/etc/shadow"), 0);
    }
    if (fs::exists("/etc/passwd")) {
        EXPECT_EQ(std::count(paths.begin(), paths.end(), "/etc/passwd"), 1);
    }
    EXPECT_EQ(std::count(paths.begin(), paths.end(), "/root"), 0);
    EXPECT_EQ(std::count(paths.begin(), paths.end(), "/tmp"), 0);
}
