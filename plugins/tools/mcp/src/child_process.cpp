#include "child_process.hpp"

#include <cowork/sdk/error.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace cowork::mcp {
namespace {

struct FileActions {
    posix_spawn_file_actions_t actions;
    FileActions() { posix_spawn_file_actions_init(&actions); }
    ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
};

struct SpawnAttr {
    posix_spawnattr_t attr;
    SpawnAttr() { posix_spawnattr_init(&attr); }
    ~SpawnAttr() { posix_spawnattr_destroy(&attr); }
};

// The inherited environment with the configured entries laid over it.
std::vector<std::string> merged_env(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        const std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    for (const auto& [k, v] : extra) env[k] = v;
    std::vector<std::string> out;
    for (const auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> p;
    for (auto& s : strings) p.push_back(s.data());
    p.push_back(nullptr);
    return p;
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exited " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return std::string("killed by ") + sigabbrev_np(WTERMSIG(status));
    return "ended";
}

}  // namespace

ChildProcess::ChildProcess(const SpawnSpec& spec) {
    if (spec.command.empty()) throw sdk::invalid("stdio server: `command` is empty; set the program to run");
    int in_pair[2], out_pipe[2], err_pipe[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0)
        throw sdk::failed(std::string("socketpair: ") + std::strerror(errno));
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(in_pair[0]);
        ::close(in_pair[1]);
        throw sdk::failed(std::string("pipe: ") + std::strerror(e));
    }
    FileActions fa;
    // dup2 clears O_CLOEXEC on the target; every other descriptor of ours closes on exec.
    posix_spawn_file_actions_adddup2(&fa.actions, in_pair[1], 0);
    posix_spawn_file_actions_adddup2(&fa.actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa.actions, err_pipe[1], 2);
    if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa.actions, spec.cwd.c_str());
    SpawnAttr sa;
    // Own process group: stopping the server kills its whole tree (npx → node).
    posix_spawnattr_setpgroup(&sa.attr, 0);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&sa.attr, &none);  // the kernel blocks signals for sigwait; the child must not inherit that
    posix_spawnattr_setsigdefault(&sa.attr, &all);
    posix_spawnattr_setflags(&sa.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<std::string> argv_s{spec.command};
    argv_s.insert(argv_s.end(), spec.args.begin(), spec.args.end());
    auto envs = merged_env(spec.env);
    auto argv = pointers(argv_s);
    auto envp = pointers(envs);
    const int rc = ::posix_spawnp(&pid_, spec.command.c_str(), &fa.actions, &sa.attr, argv.data(), envp.data());
    ::close(in_pair[1]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    if (rc != 0) {
        ::close(in_pair[0]);
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        pid_ = -1;
        throw sdk::failed("cannot start '" + spec.command + "': " + std::strerror(rc) +
                          (rc == ENOENT ? " (is it installed and on PATH, or is `cwd` wrong?)" : ""));
    }
    stdin_fd_ = in_pair[0];
    stdout_fd_ = out_pipe[0];
    stderr_fd_ = err_pipe[0];
}

ChildProcess::~ChildProcess() {
    terminate(std::chrono::milliseconds(0));
    close_fd(stdout_fd_);
    close_fd(stderr_fd_);
}

bool ChildProcess::reap_if_exited() {
    if (reaped_ || pid_ <= 0) return true;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
        reaped_ = true;
        wait_status_ = status;
    }
    return reaped_;
}

bool ChildProcess::wait_for_exit(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!reap_if_exited()) {
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

std::string ChildProcess::terminate(std::chrono::milliseconds grace) {
    if (pid_ <= 0) return "not started";
    close_fd(stdin_fd_);  // a well-behaved server exits on EOF
    const bool exited = wait_for_exit(grace);
    // Even after the leader exited, grandchildren in its group may linger.
    ::kill(-pid_, SIGTERM);
    if (!exited && !wait_for_exit(grace > std::chrono::milliseconds(0) ? grace : std::chrono::milliseconds(200))) {
        ::kill(-pid_, SIGKILL);
        wait_for_exit(std::chrono::milliseconds(5000));
    }
    ::kill(-pid_, SIGKILL);  // anything of the group still there (ESRCH when none)
    if (!reaped_) {
        int status = 0;
        if (::waitpid(pid_, &status, 0) == pid_) wait_status_ = status;
        reaped_ = true;
    }
    return describe_status(wait_status_);
}

}  // namespace cowork::mcp
