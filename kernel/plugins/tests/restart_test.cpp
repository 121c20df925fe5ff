// Crash restarts through a real PluginManager and the real ProcessRuntime:
// every plugin here runs in its own cowork-plugin-host child, so a SIGSEGV
// kills only that child while this test process (the kernel) carries on.
#include "plugins/manager.hpp"

#include "process/process_runtime.hpp"
#include "test_support.hpp"

#include <cowork/sdk/sink.hpp>

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <thread>

namespace cowork::kernel::plugins {
namespace {

using namespace std::chrono_literals;
using cowork::sdk::Collector;
using Strings = std::vector<std::string>;

const std::string kCrashStart = "tool.fx-crash-start";
const std::string kCrashCall = "tool.fx-crash-call";

process::ProcessOptions process_options() {
    process::ProcessOptions o;
    o.host_executable = testing::host_executable();
    o.create_timeout = 5000ms;
    o.lifecycle_timeout = 5000ms;
    o.call_timeout = 5000ms;
    o.exit_grace = 1000ms;
    return o;
}

BackoffPolicy::Options backoff(std::chrono::milliseconds initial, unsigned max_restarts) {
    BackoffPolicy::Options o;
    o.initial = initial;
    o.max = initial * 4;
    o.jitter = 0;  // the delays are what the options say
    o.max_restarts = max_restarts;
    return o;
}

struct Child {
    pid_t pid;
    char state;  // 'Z' for a zombie
};

// Our direct children, zombies included, from /proc (not waitpid: reaping
// here would hide the very zombies we look for).
std::vector<Child> children() {
    std::vector<Child> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        if (!std::getline(in, stat)) continue;
        const auto comm_end = stat.rfind(')');  // the command name may hold spaces and parens
        if (comm_end == std::string::npos) continue;
        char state = 0;
        pid_t ppid = 0;
        std::istringstream rest(stat.substr(comm_end + 1));
        if (rest >> state >> ppid && ppid == ::getpid()) found.push_back({std::stoi(entry.path().filename()), state});
    }
    return found;
}

bool no_child_left() {
    errno = 0;
    return children().empty() && ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 10'000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return condition();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const cowork_tool_provider_v1* tools_of(const PluginManager& pm) {
    return static_cast<const cowork_tool_provider_v1*>(pm.interface(kCrashCall, COWORK_IFACE_TOOL_PROVIDER));
}

cowork_status call_tool(const cowork_tool_provider_v1* tools, const std::string& name) {
    const std::string in = Json{{"name", name}, {"arguments", Json::object()}}.dump();
    Collector out;
    return tools->call_tool(tools->self, in.data(), in.size(), out.sink());
}

Json entry(const Json& snapshot, const std::string& id) {
    for (const auto& e : snapshot)
        if (e["id"] == id) return e;
    return nullptr;
}

class RestartTest : public ::testing::Test {
protected:
    testing::TempDir tmp;
    testing::TestHosts hosts;
    process::ProcessRuntime runtime{process_options()};
    std::atomic<int> host_requests{0};

    void SetUp() override { ASSERT_TRUE(no_child_left()) << "a child left over from before this test"; }

    std::unique_ptr<PluginManager> manager_over(const Strings& fixtures, BackoffPolicy::Options restart_backoff) {
        testing::copy_fixtures(tmp.path(), fixtures);
        auto options = testing::options_for(tmp.path());
        options.restart_backoff = restart_backoff;
        HostFactory counted = [this, inner = hosts.factory()](const Manifest& m) {
            ++host_requests;
            return inner(m);
        };
        return std::make_unique<PluginManager>(std::move(options), RuntimeMap{{"process", &runtime}}, counted);
    }
};

// Crash in start: reported with the signal, retried with backoff, given up
// at the limit; the kernel survives and no child is left behind.
TEST_F(RestartTest, ManagerCrashInStartIsRetriedWithBackoffThenGivenUp) {
    auto pm = manager_over({kCrashStart}, backoff(200ms, 2));
    pm->start_all();

    // The first restart is 200 ms away: this is the initial report.
    const auto first = pm->status(kCrashStart);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->state, State::Failed);
    EXPECT_EQ(first->phase, "start");
    EXPECT_TRUE(contains(first->reason, "crashed (signal 11 SIGSEGV)")) << first->reason;

    ASSERT_TRUE(eventually([&] { return contains(pm->status(kCrashStart)->reason, "gave up"); }));
    const auto last = pm->status(kCrashStart);
    EXPECT_EQ(last->state, State::Failed);
    EXPECT_EQ(last->phase, "run");
    EXPECT_TRUE(last->reason.starts_with("gave up after 2 restarts in 10 minutes: ")) << last->reason;
    EXPECT_TRUE(contains(last->reason, "SIGSEGV")) << last->reason;
    EXPECT_EQ(last->restarts, 0u);
    EXPECT_TRUE(contains(last->last_crash, "crashed (signal 11 SIGSEGV)")) << last->last_crash;
    // The failed restart that led to giving up already destroyed its instance.
    EXPECT_TRUE(no_child_left());

    pm->stop();
    // The first start and two restarts (counted in the reason above), each
    // through init. The child logs "init" just before it crashes, and a
    // crashing process may die before its last log line leaves it (seen on
    // a loaded CI machine), so the journal holds up to three, never more.
    const auto inits = hosts.calls("init");
    EXPECT_GE(inits.size(), 1u);
    EXPECT_LE(inits.size(), 3u);
    for (const auto& id : inits) EXPECT_EQ(id, kCrashStart);
    // The host table came from the kernel once.
    EXPECT_EQ(host_requests.load(), 1);
    EXPECT_TRUE(pm->start_order().empty());
}

// A crash while running: Failed{run}, restarted, Running again with a new
// child, and the tool answers again.
TEST_F(RestartTest, ManagerCrashWhileRunningIsRestartedAndItsToolWorksAgain) {
    auto pm = manager_over({kCrashCall}, backoff(500ms, 3));
    pm->start_all();
    ASSERT_EQ(pm->status(kCrashCall)->state, State::Running);
    const auto* tools = tools_of(*pm);
    ASSERT_NE(tools, nullptr);
    EXPECT_EQ(call_tool(tools, "echo"), COWORK_OK);
    const auto before = children();
    ASSERT_EQ(before.size(), 1u);

    EXPECT_EQ(call_tool(tools, "boom"), COWORK_E_FAILED);
    // Down for the 500 ms backoff: failed, and handing out no tables.
    ASSERT_TRUE(eventually([&] { return pm->status(kCrashCall)->state == State::Failed; }, 2000ms));
    EXPECT_EQ(pm->status(kCrashCall)->phase, "run");

    ASSERT_TRUE(eventually([&] {
        const auto s = pm->status(kCrashCall);
        return s->state == State::Running && s->restarts == 1;
    }));
    const auto after = pm->status(kCrashCall);
    EXPECT_EQ(after->reason, "");
    EXPECT_TRUE(contains(after->last_crash, "crashed (signal 11 SIGSEGV)")) << after->last_crash;
    const Json e = entry(pm->snapshot(), kCrashCall);
    EXPECT_EQ(e["restarts"], 1);
    EXPECT_TRUE(e["lastCrash"].is_string() && contains(e["lastCrash"].get<std::string>(), "SIGSEGV"));

    const auto* fresh = tools_of(*pm);
    ASSERT_NE(fresh, nullptr);
    EXPECT_EQ(call_tool(fresh, "echo"), COWORK_OK);
    // The table handed out before the crash is still safe to call: it fails.
    EXPECT_EQ(call_tool(tools, "echo"), COWORK_E_FAILED);
    EXPECT_EQ(pm->find_interfaces(COWORK_IFACE_TOOL_PROVIDER).size(), 1u);

    // One child: the new one; the crashed one was reaped, not a zombie.
    const auto now = children();
    ASSERT_EQ(now.size(), 1u);
    EXPECT_NE(now[0].pid, before[0].pid);
    EXPECT_NE(now[0].state, 'Z');
    EXPECT_EQ(host_requests.load(), 1) << "a restart reuses the host table";

    pm->stop();
    EXPECT_EQ(pm->status(kCrashCall)->state, State::Stopped);
    EXPECT_EQ(hosts.calls("stop"), Strings{kCrashCall});
    EXPECT_TRUE(no_child_left());
}

// stop() with a restart 30 s away: cancelled at once, nothing respawned,
// nothing left running.
TEST_F(RestartTest, ManagerStopDuringAPendingRestartReturnsPromptlyAndLeavesNoChild) {
    auto pm = manager_over({kCrashCall}, backoff(30'000ms, 3));
    pm->start_all();
    const auto* tools = tools_of(*pm);
    ASSERT_NE(tools, nullptr);
    EXPECT_EQ(call_tool(tools, "boom"), COWORK_E_FAILED);
    ASSERT_TRUE(eventually([&] { return !pm->status(kCrashCall)->last_crash.empty(); }));  // restart now pending
    EXPECT_EQ(pm->status(kCrashCall)->state, State::Failed);
    EXPECT_EQ(pm->interface(kCrashCall, COWORK_IFACE_TOOL_PROVIDER), nullptr);
    EXPECT_TRUE(pm->find_interfaces(COWORK_IFACE_TOOL_PROVIDER).empty());

    const auto started = std::chrono::steady_clock::now();
    pm->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s) << "stop() waited for the 30 s backoff";

    const auto s = pm->status(kCrashCall);
    EXPECT_EQ(s->state, State::Failed);
    EXPECT_EQ(s->phase, "run");
    EXPECT_EQ(s->restarts, 0u);
    EXPECT_EQ(hosts.calls("init"), Strings{kCrashCall}) << "no restart after stop()";
    EXPECT_TRUE(no_child_left());
}

// Repeated crash/restart cycles leave neither zombies nor stray hosts, and
// the manager's destructor alone cleans up.
TEST_F(RestartTest, ManagerRepeatedRestartsLeaveNoZombies) {
    {
        auto pm = manager_over({kCrashCall}, backoff(20ms, 5));
        pm->start_all();
        for (unsigned round = 1; round <= 3; ++round) {
            const auto* tools = tools_of(*pm);
            ASSERT_NE(tools, nullptr) << "round " << round;
            EXPECT_EQ(call_tool(tools, "boom"), COWORK_E_FAILED);
            ASSERT_TRUE(eventually([&] {
                const auto s = pm->status(kCrashCall);
                return s->state == State::Running && s->restarts == round;
            })) << "round " << round;
            const auto kids = children();
            ASSERT_EQ(kids.size(), 1u) << "round " << round;
            EXPECT_NE(kids[0].state, 'Z');
        }
    }
    EXPECT_TRUE(no_child_left());
}

}  // namespace
}  // namespace cowork::kernel::plugins
