// process_runner.hpp — spawn one command, stream and cap its output, enforce
// its deadline, and always reap it.
//
// The child leads its own session and process group, so a timeout or cancel
// signals the whole tree (SIGTERM, then SIGKILL after a grace period). When
// the leader exits, stragglers still in its group are killed too: nothing a
// command starts outlives the call.
#pragma once

#include <linux/filter.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::shell {

// A cancellation signal another thread can raise; wakes the runner's poll.
class CancelSignal {
public:
    CancelSignal();
    ~CancelSignal();
    CancelSignal(const CancelSignal&) = delete;
    CancelSignal& operator=(const CancelSignal&) = delete;

    void raise() noexcept;
    bool raised() const noexcept { return raised_.load(); }
    int wake_fd() const noexcept { return fd_; }

private:
    int fd_ = -1;  // eventfd
    std::atomic<bool> raised_{false};
};

// Confinement applied in the child between fork and exec. Everything here is
// prepared by the parent; the child only issues syscalls.
struct ChildConfinement {
    bool no_new_privs = false;
    bool drop_capabilities = false;          // empty the bounding set: even root execs with none
    int landlock_ruleset_fd = -1;            // -1: none
    const std::vector<sock_filter>* seccomp = nullptr;  // null/empty: none
    std::vector<int> inherit_fds;            // kept open across exec (e.g. bwrap --seccomp)
};

struct SpawnSpec {
    std::vector<std::string> argv;  // argv[0] is an absolute path
    std::vector<std::string> envp;  // the complete environment
    std::string cwd;                // chdir target in the child; empty: stay
    ChildConfinement confinement;
};

struct RunLimits {
    std::chrono::milliseconds timeout{120'000};
    std::chrono::milliseconds kill_grace{2'000};
    std::size_t output_limit = 100 * 1024;
};

enum class Stream { Stdout, Stderr };
using OutputSink = std::function<void(Stream, std::string_view)>;

struct RunOutcome {
    int exit_code = -1;  // when exited normally
    int signal = 0;      // when killed by a signal
    bool timed_out = false;
    bool cancelled = false;
    bool truncated = false;
    std::size_t output_bytes = 0;  // everything the command printed
    std::string output;            // stdout and stderr interleaved, capped head + tail
    std::uint64_t duration_ms = 0;
};

// Runs to completion. Throws std::runtime_error when the process could not be
// started at all (the message names the failing step: exec, landlock, …).
RunOutcome run_process(const SpawnSpec& spec, const RunLimits& limits, const CancelSignal& cancel,
                       const OutputSink& on_output);

}  // namespace cowork::shell
