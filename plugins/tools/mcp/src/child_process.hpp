// child_process.hpp — one stdio MCP server process: spawned without a shell
// in its own process group (so npx/uvx grandchildren go with it), its
// stdin a socket (writes never raise SIGPIPE), stdout/stderr pipes.
// Ending it: close stdin, wait, SIGTERM the group, wait, SIGKILL the group,
// reap. Nothing is left behind, not even a zombie. If the kernel dies
// without ending it (SIGKILL, crash), the child gets SIGTERM from Linux
// (PR_SET_PDEATHSIG, set between fork and exec).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace cowork::mcp {

struct SpawnSpec {
    std::string command;  // a path or a name looked up on PATH
    std::vector<std::string> args;
    std::map<std::string, std::string> env;  // added to (and overriding) the inherited environment
    std::string cwd;                         // empty: inherit
};

class ChildProcess {
public:
    // Throws sdk::Error (failed) naming the command and errno when it cannot start.
    // Call it on a thread that lives as long as the child: the parent-death
    // signal fires when the *thread* that forked ends (Linux).
    explicit ChildProcess(const SpawnSpec& spec);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    int stdin_fd() const { return stdin_fd_; }
    int stdout_fd() const { return stdout_fd_; }
    int stderr_fd() const { return stderr_fd_; }

    // Closes stdin, then escalates until the whole group is gone and the
    // child is reaped. Returns how it ended ("exited 0", "killed by SIGTERM").
    // Idempotent.
    std::string terminate(std::chrono::milliseconds grace);

    // Non-blocking: has the child exited (and been reaped)?
    bool reap_if_exited();

private:
    bool wait_for_exit(std::chrono::milliseconds limit);

    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;
    int stderr_fd_ = -1;
    bool reaped_ = false;
    int wait_status_ = 0;
};

}  // namespace cowork::mcp
