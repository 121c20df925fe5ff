#include "fake_host.hpp"
#include "test_support.hpp"

#include "process/child_process.hpp"
#include "process/process_runtime.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>

using namespace cowork::kernel;
using namespace cowork::kernel::process;
using namespace cowork::kernel::process::testing;
using namespace std::chrono_literals;
using cowork::sdk::Collector;

namespace {

// Records crash reports.
struct CrashLog {
    std::mutex mutex;
    std::vector<std::string> reasons;
    plugins::CrashHandler handler() {
        return [this](const std::string& reason) {
            std::lock_guard lock(mutex);
            reasons.push_back(reason);
        };
    }
    size_t count() {
        std::lock_guard lock(mutex);
        return reasons.size();
    }
    std::string first() {
        std::lock_guard lock(mutex);
        return reasons.empty() ? "" : reasons.front();
    }
};

// Owns an instance and destroys it like the manager does.
struct Running {
    plugins::Instance instance;
    pid_t pid = -1;
    explicit Running(plugins::Instance i) : instance(std::move(i)), pid(*ProcessRuntime::host_pid(instance)) {}
    ~Running() { destroy(); }
    void destroy() {
        if (!instance.table) return;
        instance.table->destroy(instance.table->self);
        instance.table = nullptr;
        instance.owner.reset();
    }
    const cowork_plugin& p() const { return *instance.table; }
    cowork_status lifecycle(cowork_status (*fn)(void*, const cowork_sink*), Collector& err) {
        return fn(p().self, err.sink());
    }
    const cowork_tool_provider_v1* tools() const {
        return static_cast<const cowork_tool_provider_v1*>(p().get_interface(p().self, COWORK_IFACE_TOOL_PROVIDER));
    }
};

cowork_status call_tool(const cowork_tool_provider_v1* tools, const Json& request, Collector& out) {
    const std::string in = request.dump();
    return tools->call_tool(tools->self, in.data(), in.size(), out.sink());
}

Running create_running(ProcessRuntime& runtime, const std::string& id, FakeHost& host, CrashLog& crashes) {
    auto created = runtime.create(fixture_manifest(id), host.host(), crashes.handler());
    if (!created) ADD_FAILURE() << created.error().message;
    return Running(std::move(created).value());
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST(ProcessRuntime, LifecycleToolCallsAndHostServicesRoundTrip) {
    ProcessRuntime runtime(fast_options());
    FakeHost host("tool.proc_echo", Json{{"prefix", "> "}});
    CrashLog crashes;
    Running r = create_running(runtime, "tool.proc_echo", host, crashes);
    Collector err;
    ASSERT_EQ(r.lifecycle(r.p().init, err), COWORK_OK) << err.text();
    ASSERT_EQ(r.lifecycle(r.p().on_all_initialized, err), COWORK_OK) << err.text();
    ASSERT_EQ(r.lifecycle(r.p().start, err), COWORK_OK) << err.text();

    // start() ran nested host calls: log, storage.migrate, storage.exec, bus.subscribe.
    EXPECT_TRUE(host.wait_until([&] { return contains(host.logs(), "echo: starting"); }));
    const auto sql = host.sql();
    ASSERT_EQ(sql.size(), 2u);
    EXPECT_EQ(sql[0], "CREATE TABLE p_tool_proc_echo_calls (what TEXT)");
    EXPECT_EQ(host.subscriptions(), 1u);

    const auto* tools = r.tools();
    ASSERT_NE(tools, nullptr);
    EXPECT_EQ(tools->struct_size, sizeof(cowork_tool_provider_v1));
    EXPECT_EQ(r.p().get_interface(r.p().self, COWORK_IFACE_TOOL_PROVIDER), tools);  // cached
    EXPECT_EQ(r.p().get_interface(r.p().self, COWORK_IFACE_LLM), nullptr);
    Collector listed;
    ASSERT_EQ(tools->list_tools(tools->self, "{}", 2, listed.sink()), COWORK_OK);
    EXPECT_EQ(listed.json()["tools"][0]["name"], "echo");

    Collector out;
    ASSERT_EQ(call_tool(tools, {{"name", "echo"}, {"arguments", {{"text", "hello"}}}}, out), COWORK_OK) << out.text();
    EXPECT_EQ(out.json()["content"][0]["text"], "> hello");  // config came through the relay
    const auto published = host.published();
    ASSERT_FALSE(published.empty());
    EXPECT_EQ(published.back().first, "echo.called");

    // A bus delivery reaches the child's handler, which publishes back.
    host.publish("echo.ping", R"({"n":7})");
    EXPECT_TRUE(host.wait_until([&] {
        for (auto& [topic, payload] : host.published())
            if (topic == "echo.pong" && payload == R"({"n":7})") return true;
        return false;
    }));

    Collector stop_err;
    EXPECT_EQ(r.p().stop(r.p().self, 1000, stop_err.sink()), COWORK_OK) << stop_err.text();
    EXPECT_EQ(host.subscriptions(), 0u);
    const pid_t pid = r.pid;
    r.destroy();
    EXPECT_TRUE(reaped(pid));
    EXPECT_EQ(crashes.count(), 0u);  // an orderly shutdown is not a crash
}

TEST(ProcessRuntime, ProgressEventsStreamBeforeTheResult) {
    ProcessRuntime runtime(fast_options());
    FakeHost host("tool.proc_progress");
    CrashLog crashes;
    Running r = create_running(runtime, "tool.proc_progress", host, crashes);
    std::vector<Json> events;
    Collector out([&](std::string_view e) { events.push_back(Json::parse(e)); });
    ASSERT_EQ(call_tool(r.tools(), {{"name", "count"}}, out), COWORK_OK);
    ASSERT_EQ(events.size(), 3u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(events[size_t(i)]["step"], i + 1);
    EXPECT_EQ(out.json()["content"][0]["text"], "counted");
}

TEST(ProcessRuntime, CrashInStartFailsTheCallReportsOnceAndReaps) {
    ProcessRuntime runtime(fast_options());
    FakeHost host("tool.proc_crash_start");
    CrashLog crashes;
    Running r = create_running(runtime, "tool.proc_crash_start", host, crashes);
    Collector err;
    ASSERT_EQ(r.lifecycle(r.p().init, err), COWORK_OK);
    EXPECT_EQ(r.lifecycle(r.p().start, err), COWORK_E_FAILED);
    const Json error = err.json();
    EXPECT_EQ(error["code"], "plugin.crashed");
    EXPECT_EQ(error["message"], "plugin host for tool.proc_crash_start crashed (signal 11 SIGSEGV)");
    ASSERT_TRUE(host.wait_until([&] { return crashes.count() == 1; }));
    EXPECT_EQ(crashes.first(), error["message"]);
    EXPECT_TRUE(reaped(r.pid));
    // Later calls fail fast instead of hanging.
    EXPECT_EQ(r.lifecycle(r.p().start, err), COWORK_E_FAILED);
    r.destroy();
    EXPECT_EQ(crashes.count(), 1u);
}

TEST(ProcessRuntime, CrashMidCallFailsThePendingCall) {
    ProcessRuntime runtime(fast_options());
    FakeHost host("tool.proc_crash_call");
    CrashLog crashes;
    Running r = create_running(runtime, "tool.proc_crash_call", host, crashes);
    const auto* tools = r.tools();
    ASSERT_NE(tools, nullptr);
    Collector ok;
    ASSERT_EQ(call_tool(tools, {{"name", "ok"}}, ok), COWORK_OK);
    Collector boom;
    EXPECT_EQ(call_tool(tools, {{"name", "boom"}}, boom), COWORK_E_FAILED);
    EXPECT_NE(boom.text().find("SIGSEGV"), std::string::npos) << boom.text();
    ASSERT_TRUE(host.wait_until([&] { return crashes.count() == 1; }));
    EXPECT_TRUE(reaped(r.pid));
}

TEST(ProcessRuntime, AbortWhileIdleIsDetected) {
    ProcessRuntime runtime(fast_options());
    FakeHost host("tool.proc_idle_abort");
    CrashLog crashes;
    Running r = create_running(runtime, "tool.proc_idle_abort", host, crashes);
    Collector err;
    ASSERT_EQ(r.lifecycle(r.p().start, err), COWORK_OK) << err.text();
    ASSERT_TRUE(host.wait_until([&] { return crashes.count() == 1; }));
    EXPECT_NE(crashes.first().find("signal 6 SIGABRT"), std::string::npos) << crashes.first();
    EXPECT_TRUE(reaped(r.pid));
    EXPECT_EQ(host.timers(), 0u);  // the relay cancelled what the dead child had asked for
}

TEST(ProcessRuntime, HangingCallTimesOut) {
    auto options = fast_options();
    options.call_timeout = 300ms;
    ProcessRuntime runtime(options);
    FakeHost host("tool.proc_hang");
    CrashLog crashes;
    Running r = create_running(runtime, "tool.proc_hang", host, crashes);
    const auto started = std::chrono::steady_clock::now();
    Collector out;
    EXPECT_EQ(call_tool(r.tools(), {{"name", "hang"}}, out), COWORK_E_TIMEOUT);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    EXPECT_EQ(out.json()["code"], "plugin.timeout");
    // The plugin still answers other calls; destroy does not wait for the hung one.
    Collector listed;
    EXPECT_EQ(r.tools()->list_tools(r.tools()->self, "{}", 2, listed.sink()), COWORK_OK);
    const pid_t pid = r.pid;
    r.destroy();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
    EXPECT_TRUE(reaped(pid));
    EXPECT_EQ(crashes.count(), 0u);
}

TEST(ProcessRuntime, GarbageFromTheChildIsAnErrorNotACrash) {
    auto options = fast_options();
    options.host_executable = fixture_dir() / "cowork_fixture_garbage_host";
    ProcessRuntime runtime(options);
    FakeHost host("tool.proc_echo");
    CrashLog crashes;
    const auto started = std::chrono::steady_clock::now();
    auto created = runtime.create(fixture_manifest("tool.proc_echo"), host.host(), crashes.handler());
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, "plugin.crashed");
    EXPECT_NE(created.error().message.find("broke the protocol"), std::string::npos) << created.error().message;
    EXPECT_NE(created.error().message.find("SIGKILL"), std::string::npos) << created.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    EXPECT_EQ(crashes.count(), 0u);
}

TEST(ProcessRuntime, MissingLibraryIsAnError) {
    ProcessRuntime runtime(fast_options());
    FakeHost host("tool.proc_missing");
    CrashLog crashes;
    auto created = runtime.create(fixture_manifest("tool.proc_missing"), host.host(), crashes.handler());
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, "plugin.create_failed");
    EXPECT_NE(created.error().message.find("tool.proc_missing.so"), std::string::npos) << created.error().message;
}

TEST(ProcessRuntime, VersionMismatchIsRefused) {
    ProcessRuntime runtime(fast_options());
    FakeHost host("tool.proc_echo");
    CrashLog crashes;
    auto manifest = fixture_manifest("tool.proc_echo");
    manifest.version = "2.0.0";
    auto created = runtime.create(manifest, host.host(), crashes.handler());
    ASSERT_FALSE(created);
    EXPECT_NE(created.error().message.find("differs from manifest version"), std::string::npos);
}

TEST(ProcessRuntime, MissingHostExecutableIsAnError) {
    auto options = fast_options();
    options.host_executable = "/nonexistent/cowork-plugin-host";
    ProcessRuntime runtime(options);
    FakeHost host("tool.proc_echo");
    auto created = runtime.create(fixture_manifest("tool.proc_echo"), host.host(), {});
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, "process.spawn");
}

TEST(ProcessPluginHost, ExitsWhenTheKernelClosesTheSocket) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    SpawnOptions spawn;
    spawn.executable = host_executable();
    spawn.args = {"--fd", "3", "--library", (fixture_dir() / "tool.proc_echo.so").string(), "--plugin-id",
                  "tool.proc_echo"};
    spawn.socket_fd = fds[1];
    auto child = ChildProcess::spawn(spawn);
    ::close(fds[1]);
    ASSERT_TRUE(child) << child.error().message;
    std::this_thread::sleep_for(50ms);
    ::close(fds[0]);
    const ExitStatus status = (*child)->wait_or_kill(3s);
    EXPECT_TRUE(status.clean()) << status.describe();  // exited by itself, not killed
    EXPECT_TRUE(reaped((*child)->pid()));
}

TEST(ProcessPluginHost, HelpExitsZero) {
    const std::string command = host_executable().string() + " --help > /dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0);
    const std::string bad = host_executable().string() + " --bogus 2> /dev/null";
    EXPECT_NE(std::system(bad.c_str()), 0);
}
