#include "fake_host.hpp"
#include "test_support.hpp"

#include "process/process_runtime.hpp"
#include "plugins/supervisor.hpp"

#include <gtest/gtest.h>

#include <atomic>

using namespace cowork::kernel;
using namespace cowork::kernel::process;
using namespace cowork::kernel::process::testing;
using plugins::BackoffPolicy;  // the manager's restart machinery (kernel/plugins)
using plugins::Supervisor;
using namespace std::chrono_literals;
using cowork::sdk::Collector;

namespace {

BackoffPolicy quick_policy(unsigned max_restarts = 5) {
    BackoffPolicy::Options o;
    o.initial = 10ms;
    o.max = 50ms;
    o.jitter = 0;
    o.max_restarts = max_restarts;
    return BackoffPolicy(o);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return condition();
}

}  // namespace

TEST(ProcessSupervisor, RetriesFailedRestartsThenGivesUp) {
    std::atomic<int> attempts{0};
    std::atomic<bool> gave_up{false};
    Supervisor supervisor(
        "tool.x", quick_policy(3),
        [&]() -> Status {
            ++attempts;
            return make_error("plugin.create_failed", "still broken");
        },
        [&](const std::string&) { gave_up = true; });
    supervisor.on_crash("crashed");
    ASSERT_TRUE(eventually([&] { return gave_up.load(); }));
    EXPECT_EQ(attempts.load(), 3);
    EXPECT_TRUE(supervisor.gave_up());
    EXPECT_EQ(supervisor.restarts(), 0u);
}

TEST(ProcessSupervisor, CrashesWhileARestartIsPendingAreCoalesced) {
    std::atomic<int> attempts{0};
    Supervisor supervisor("tool.x", quick_policy(), [&]() -> Status {
        ++attempts;
        return ok_status();
    });
    supervisor.on_crash("a");
    supervisor.on_crash("b");
    ASSERT_TRUE(eventually([&] { return supervisor.restarts() == 1; }));
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(attempts.load(), 1);
}

// The real cycle the PluginManager runs: crash → on_crash → backoff →
// destroy the dead instance → create → init → start → working again.
TEST(ProcessSupervisor, RestartsACrashedPluginHostAndItWorksAgain) {
    ProcessRuntime runtime(fast_options());
    FakeHost host("tool.proc_crash_call");
    const auto manifest = fixture_manifest("tool.proc_crash_call");
    std::mutex mutex;
    plugins::Instance current;
    Supervisor* supervisor_ptr = nullptr;
    const plugins::CrashHandler on_crash = [&](const std::string& reason) { supervisor_ptr->on_crash(reason); };

    auto bring_up = [&]() -> Status {
        std::lock_guard lock(mutex);
        if (current.table) current.table->destroy(current.table->self);
        current = {};
        auto created = runtime.create(manifest, host.host(), on_crash);
        if (!created) return std::move(created).error();
        current = std::move(created).value();
        Collector err;
        if (current.table->init(current.table->self, err.sink()) != COWORK_OK ||
            current.table->start(current.table->self, err.sink()) != COWORK_OK)
            return make_error("plugin.start_failed", err.text());
        return ok_status();
    };
    Supervisor supervisor("tool.proc_crash_call", quick_policy(), bring_up);
    supervisor_ptr = &supervisor;
    ASSERT_TRUE(bring_up());

    auto call = [&](const char* tool) {
        std::lock_guard lock(mutex);
        const auto* tools = static_cast<const cowork_tool_provider_v1*>(
            current.table->get_interface(current.table->self, COWORK_IFACE_TOOL_PROVIDER));
        const std::string in = Json{{"name", tool}}.dump();
        Collector out;
        return tools->call_tool(tools->self, in.data(), in.size(), out.sink());
    };
    pid_t first_pid = 0;
    {
        std::lock_guard lock(mutex);
        first_pid = *ProcessRuntime::host_pid(current);
    }
    EXPECT_EQ(call("ok"), COWORK_OK);
    EXPECT_EQ(call("boom"), COWORK_E_FAILED);
    ASSERT_TRUE(eventually([&] { return supervisor.restarts() == 1; }));
    EXPECT_EQ(call("ok"), COWORK_OK);
    {
        std::lock_guard lock(mutex);
        EXPECT_NE(*ProcessRuntime::host_pid(current), first_pid);
    }
    EXPECT_TRUE(reaped(first_pid));
    std::lock_guard lock(mutex);
    current.table->destroy(current.table->self);
    current = {};
}
