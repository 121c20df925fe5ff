// Real child processes, no sandbox: the spawn/capture/kill/reap machinery.
#include "process_runner.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace cowork::shell;
using namespace cowork::shell::testing;
using namespace std::chrono_literals;

namespace {

SpawnSpec shell(const std::string& command) {
    SpawnSpec s;
    s.argv = {"/bin/sh", "-c", command};
    s.envp = {"PATH=/usr/bin:/bin"};
    return s;
}

RunLimits fast_limits(std::chrono::milliseconds timeout = 10s) {
    RunLimits l;
    l.timeout = timeout;
    l.kill_grace = 200ms;
    return l;
}

struct Captured {
    std::string out, err;
    OutputSink sink() {
        return [this](Stream s, std::string_view t) { (s == Stream::Stdout ? out : err).append(t); };
    }
};

}  // namespace

TEST(ProcessRunner, ReportsExitCodeAndSeparatesStreams) {
    CancelSignal never;
    Captured c;
    const auto r = run_process(shell("echo to-out; echo to-err >&2; exit 3"), fast_limits(), never, c.sink());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.signal, 0);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(c.out, "to-out\n");
    EXPECT_EQ(c.err, "to-err\n");
    EXPECT_NE(r.output.find("to-out"), std::string::npos);
    EXPECT_NE(r.output.find("to-err"), std::string::npos);
}

TEST(ProcessRunner, StdinIsDevNull) {
    CancelSignal never;
    const auto r = run_process(shell("cat; echo done"), fast_limits(), never, {});
    EXPECT_EQ(r.output, "done\n");
}

TEST(ProcessRunner, CapsOutputKeepingHeadAndTail) {
    CancelSignal never;
    auto limits = fast_limits();
    limits.output_limit = 10000;
    const auto r = run_process(shell("echo FIRST; head -c 300000 /dev/zero | tr '\\0' x; echo; echo LAST"), limits, never, {});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(r.truncated);
    EXPECT_GT(r.output_bytes, 300000u);
    EXPECT_LT(r.output.size(), 10100u);
    EXPECT_EQ(r.output.rfind("FIRST", 0), 0u);
    EXPECT_NE(r.output.find("LAST\n"), std::string::npos);
    EXPECT_NE(r.output.find("bytes omitted"), std::string::npos);
}

TEST(ProcessRunner, TimeoutKillsTheWholeGroup) {
    CancelSignal never;
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_process(shell("sleep 97.301 & sleep 97.301 & sleep 97.301"), fast_limits(300ms), never, {});
    EXPECT_TRUE(r.timed_out);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(processes_with_cmdline("sleep 97.301").empty()) << "a sleep survived the timeout";
    EXPECT_TRUE(zombie_children().empty());
}

TEST(ProcessRunner, EscalatesToSigkillWhenTermIsIgnored) {
    CancelSignal never;
    const auto r = run_process(shell("trap '' TERM; sleep 97.302 & trap '' TERM; wait"), fast_limits(200ms), never, {});
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.signal, 9);
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(processes_with_cmdline("sleep 97.302").empty());
}

TEST(ProcessRunner, CancelFromAnotherThreadKillsTheGroup) {
    CancelSignal cancel;
    std::thread canceller([&] {
        std::this_thread::sleep_for(200ms);
        cancel.raise();
    });
    const auto r = run_process(shell("sleep 97.303 & sleep 97.303"), fast_limits(), cancel, {});
    canceller.join();
    EXPECT_TRUE(r.cancelled);
    EXPECT_FALSE(r.timed_out);
    EXPECT_LT(r.duration_ms, 5000u);
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(processes_with_cmdline("sleep 97.303").empty());
}

TEST(ProcessRunner, BackgroundJobsDoNotOutliveTheCommand) {
    CancelSignal never;
    const auto r = run_process(shell("sleep 97.304 & echo started"), fast_limits(), never, {});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_LT(r.duration_ms, 3000u) << "waited for the background job";
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(processes_with_cmdline("sleep 97.304").empty());
}

TEST(ProcessRunner, LeavesNoZombies) {
    CancelSignal never;
    for (int i = 0; i < 5; ++i) run_process(shell("exit " + std::to_string(i)), fast_limits(), never, {});
    EXPECT_TRUE(zombie_children().empty());
}

TEST(ProcessRunner, ReportsSignalDeath) {
    CancelSignal never;
    const auto r = run_process(shell("kill -SEGV $$"), fast_limits(), never, {});
    EXPECT_EQ(r.signal, 11);
    EXPECT_EQ(r.exit_code, 128 + 11);
}

TEST(ProcessRunner, ExecFailureThrowsWithTheStep) {
    CancelSignal never;
    SpawnSpec s;
    s.argv = {"/nonexistent/binary"};
    try {
        run_process(s, fast_limits(), never, {});
        FAIL() << "expected an exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("exec"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(zombie_children().empty());
}

TEST(ProcessRunner, EnvironmentIsExactlyWhatWasGiven) {
    ::setenv("FOO_TOKEN", "canary-runner", 1);
    CancelSignal never;
    auto spec = shell("env");
    spec.envp = {"PATH=/usr/bin:/bin", "ONLY=this"};
    const auto r = run_process(spec, fast_limits(), never, {});
    EXPECT_EQ(r.output.find("canary-runner"), std::string::npos);
    EXPECT_NE(r.output.find("ONLY=this"), std::string::npos);
    ::unsetenv("FOO_TOKEN");
}
