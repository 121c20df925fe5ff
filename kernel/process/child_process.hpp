// kernel/process/child_process.hpp — spawning, watching and reaping one child.
//
// The child gets exactly: stdin from /dev/null, stdout+stderr into a pipe we
// log line by line (or our stderr), one inherited socket as fd 3, default
// signal dispositions, its own process group (a Ctrl-C meant for the kernel
// must not "crash" its plugins) and an allowlisted environment. Everything
// else is closed (closefrom), whatever CLOEXEC discipline the rest of the
// process keeps.
//
// Spawns happen on one long-lived thread: the child's PR_SET_PDEATHSIG fires
// when the *thread* that forked it exits, so spawning from a short-lived
// worker would kill healthy plugins.
#pragma once

#include "core/result.hpp"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cowork::kernel::process {

// How a child ended.
struct ExitStatus {
    bool signaled = false;
    int value = 0;       // exit code, or signal number if signaled
    bool known = true;   // false: someone else reaped it (SIGCHLD ignored)

    // "signal 11 SIGSEGV", "exit code 3"
    std::string describe() const;
    bool clean() const noexcept { return known && !signaled && value == 0; }
};

struct SpawnOptions {
    std::filesystem::path executable;
    std::vector<std::string> args;        // argv[1..]
    int socket_fd = -1;                   // becomes fd 3 in the child
    bool capture_output = true;           // stdout/stderr lines → logger(log_name)
    std::string log_name = "plugin-host";
    std::vector<std::string> env_allowlist;
};

// The fd number the child finds its socket on.
inline constexpr int kChildSocketFd = 3;

class ChildProcess {
public:
    // Starts the child. The caller still owns (and should close) socket_fd.
    static Result<std::unique_ptr<ChildProcess>> spawn(const SpawnOptions& options);

    // SIGKILLs the child if it still runs, reaps it, stops the log reader.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const noexcept { return pid_; }

    // [any-thread] Waits up to `grace` for the child to exit, then SIGKILLs
    // it; always reaps. Idempotent: later calls return the same status.
    ExitStatus wait_or_kill(std::chrono::milliseconds grace);
    ExitStatus kill_now() { return wait_or_kill(std::chrono::milliseconds(0)); }
    std::optional<ExitStatus> exit_status() const;

private:
    ChildProcess(pid_t pid, int output_fd, std::string log_name);
    void start_output_reader();
    std::optional<ExitStatus> try_reap();  // mutex_ held

    const pid_t pid_;
    int output_fd_;        // read end of the child's stdout/stderr pipe, or -1
    int stop_pipe_[2] = {-1, -1};
    const std::string log_name_;
    std::thread output_reader_;
    mutable std::mutex mutex_;
    std::optional<ExitStatus> status_;
};

// The host executable next to the running program (/proc/self/exe's dir).
std::filesystem::path default_host_executable();

}  // namespace cowork::kernel::process
