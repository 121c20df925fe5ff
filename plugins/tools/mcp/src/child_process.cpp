#include "child_process.hpp"

#include <cowork/sdk/error.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <fcntl.h>
#include <optional>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace cowork::mcp {
namespace {

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

// `command` as execve wants it: a path (relative ones resolve after the
// chdir to `cwd`, as with posix_spawnp), or the first executable of that name
// on our PATH. Empty when there is none. Done before fork: the child may only
// make async-signal-safe calls.
std::string find_program(const std::string& command) {
    if (command.find('/') != std::string::npos) return command;
    const char* env_path = std::getenv("PATH");
    const std::string path = env_path && *env_path ? env_path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    for (;;) {
        const size_t colon = path.find(':', start);
        std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (dir.empty()) dir = ".";
        const std::string candidate = dir + "/" + command;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        if (colon == std::string::npos) return "";
        start = colon + 1;
    }
}

// What the child reports through the exec pipe when it cannot exec.
struct ExecFailure {
    int stage;  // kStageCwd or kStageExec
    int error;  // errno
};
constexpr int kStageCwd = 1;
constexpr int kStageExec = 2;

// Moves `from` onto `to` and keeps it open across exec (dup2 onto itself
// would leave O_CLOEXEC set).
void move_fd(int from, int to) {
    if (from == to) ::fcntl(to, F_SETFD, 0);
    else ::dup2(from, to);
}

// The child between fork and exec: async-signal-safe calls only (another
// thread of ours may have held malloc's lock at the fork).
[[noreturn]] void become_server(pid_t parent, int in_fd, int out_fd, int err_fd, int report_fd, const char* cwd,
                                const char* program, char* const* argv, char* const* envp) {
    // The kernel blocks signals for sigwait and may handle some: the server
    // starts with default dispositions and nothing blocked.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP) ::sigaction(sig, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::setpgid(0, 0);  // own process group: stopping the server kills its whole tree (npx → node)
    // Dies with the kernel, even a SIGKILLed one (then nobody closes stdin or
    // signals the group). Linux sends it when the forking *thread* ends; see
    // ServerLink::make_transport for why that thread outlives the server.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(128 + SIGTERM);  // the kernel died before prctl took effect
    move_fd(in_fd, 0);
    move_fd(out_fd, 1);
    move_fd(err_fd, 2);
    ExecFailure failure{kStageExec, 0};
    if (cwd && ::chdir(cwd) != 0) {
        failure = {kStageCwd, errno};
    } else {
        ::execve(program, argv, envp);
        failure.error = errno;
    }
    [[maybe_unused]] const auto n = ::write(report_fd, &failure, sizeof failure);
    ::_exit(127);
}

// Reads what the child reported before exec; nothing (EOF) means exec succeeded.
std::optional<ExecFailure> read_exec_report(int report_fd) {
    ExecFailure failure{};
    ssize_t n;
    do {
        n = ::read(report_fd, &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof failure)) return failure;
    return std::nullopt;
}

std::string start_error(const SpawnSpec& spec, int stage, int error) {
    if (stage == kStageCwd) return "cannot start '" + spec.command + "': cwd '" + spec.cwd + "': " + std::strerror(error);
    return "cannot start '" + spec.command + "': " + std::strerror(error) +
           (error == ENOENT ? " (is it installed and on PATH, or is `cwd` wrong?)" : "");
}

}  // namespace

ChildProcess::ChildProcess(const SpawnSpec& spec) {
    if (spec.command.empty()) throw sdk::invalid("stdio server: `command` is empty; set the program to run");
    const std::string program = find_program(spec.command);
    if (program.empty()) throw sdk::failed(start_error(spec, kStageExec, ENOENT));
    // Everything the child touches is prepared here, before fork.
    std::vector<std::string> argv_s{spec.command};
    argv_s.insert(argv_s.end(), spec.args.begin(), spec.args.end());
    auto envs = merged_env(spec.env);
    auto argv = pointers(argv_s);
    auto envp = pointers(envs);
    const char* cwd = spec.cwd.empty() ? nullptr : spec.cwd.c_str();

    int in_pair[2], out_pipe[2], err_pipe[2], report[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0)
        throw sdk::failed(std::string("socketpair: ") + std::strerror(errno));
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0 || ::pipe2(report, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(in_pair[0]);
        ::close(in_pair[1]);
        throw sdk::failed(std::string("pipe: ") + std::strerror(e));
    }
    // Every descriptor of ours is O_CLOEXEC; only the three moved onto 0-2 survive exec.
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0)
        become_server(parent, in_pair[1], out_pipe[1], err_pipe[1], report[1], cwd, program.c_str(), argv.data(), envp.data());
    const int fork_errno = errno;
    ::close(in_pair[1]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    ::close(report[1]);
    std::optional<ExecFailure> failure;
    if (pid_ > 0) {
        ::setpgid(pid_, pid_);  // also here, so terminate() finds the group even if it runs first; EACCES after exec is fine
        failure = read_exec_report(report[0]);
    }
    ::close(report[0]);
    if (pid_ < 0 || failure) {
        ::close(in_pair[0]);
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        if (pid_ > 0) {
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
        pid_ = -1;
        if (!failure) throw sdk::failed("cannot start '" + spec.command + "': fork: " + std::strerror(fork_errno));
        throw sdk::failed(start_error(spec, failure->stage, failure->error));
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
