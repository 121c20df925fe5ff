#include "process/child_process.hpp"

#include "core/log.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <future>

extern char** environ;

namespace cowork::kernel::process {
namespace {

// One thread, alive for the whole process, that performs every spawn.
class SpawnThread {
public:
    static SpawnThread& instance() {
        static auto* thread = new SpawnThread();  // never destroyed: children outlive static teardown
        return *thread;
    }
    template <class Fn>
    auto run(Fn fn) -> decltype(fn()) {
        std::packaged_task<decltype(fn())()> task(std::move(fn));
        auto result = task.get_future();
        {
            std::lock_guard lock(mutex_);
            jobs_.emplace_back([&task] { task(); });
        }
        wake_.notify_one();
        return result.get();
    }

private:
    SpawnThread() { std::thread([this] { loop(); }).detach(); }
    void loop() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [this] { return !jobs_.empty(); });
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            job();
        }
    }
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
};

// Moves fd above the stdio/socket slots so the dup2 actions cannot clobber it.
int lift_fd(int fd) { return ::fcntl(fd, F_DUPFD_CLOEXEC, 10); }

std::vector<std::string> allowed_environment(const std::vector<std::string>& allowlist) {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        const std::string_view entry(*e);
        const auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        for (const auto& name : allowlist)
            if (entry.substr(0, eq) == name) env.emplace_back(entry);
    }
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// posix_spawn with the file actions and attributes described in the header.
int spawn_child(pid_t& pid, const SpawnOptions& options, int socket_fd, int output_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (output_fd >= 0) {
        posix_spawn_file_actions_adddup2(&actions, output_fd, 1);
        posix_spawn_file_actions_adddup2(&actions, output_fd, 2);
    } else {
        posix_spawn_file_actions_adddup2(&actions, 2, 1);  // stdout never mixes with ours
    }
    posix_spawn_file_actions_adddup2(&actions, socket_fd, kChildSocketFd);
    posix_spawn_file_actions_addclosefrom_np(&actions, kChildSocketFd + 1);

    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

    std::vector<std::string> argv{options.executable.string()};
    argv.insert(argv.end(), options.args.begin(), options.args.end());
    std::vector<std::string> envp = allowed_environment(options.env_allowlist);
    auto argv_ptrs = pointers(argv);
    auto envp_ptrs = pointers(envp);
    const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, argv_ptrs.data(), envp_ptrs.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return rc;
}

ExitStatus decode(int wstatus) {
    if (WIFSIGNALED(wstatus)) return ExitStatus{true, WTERMSIG(wstatus)};
    return ExitStatus{false, WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1};
}

}  // namespace

std::string ExitStatus::describe() const {
    if (!known) return "exit status unknown";
    if (!signaled) return "exit code " + std::to_string(value);
    const char* abbrev = ::sigabbrev_np(value);
    return "signal " + std::to_string(value) + (abbrev ? std::string(" SIG") + abbrev : std::string());
}

std::filesystem::path default_host_executable() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return "cowork-plugin-host";
    return self.parent_path() / "cowork-plugin-host";
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(const SpawnOptions& options) {
    if (::access(options.executable.c_str(), X_OK) != 0)
        return make_error("process.spawn", "plugin host executable " + options.executable.string() +
                                               " is missing or not executable; reinstall CoWork or set its path");
    const int socket_fd = lift_fd(options.socket_fd);
    if (socket_fd < 0) return make_error("process.spawn", std::string("cannot pass the socket to the plugin host: ") + std::strerror(errno));
    int output[2] = {-1, -1};
    if (options.capture_output && ::pipe2(output, O_CLOEXEC) != 0) output[0] = output[1] = -1;
    const int output_w = output[1] >= 0 ? lift_fd(output[1]) : -1;
    if (output[1] >= 0) ::close(output[1]);

    pid_t pid = -1;
    const int rc = SpawnThread::instance().run([&] { return spawn_child(pid, options, socket_fd, output_w); });
    ::close(socket_fd);
    if (output_w >= 0) ::close(output_w);
    if (rc != 0) {
        if (output[0] >= 0) ::close(output[0]);
        return make_error("process.spawn", "cannot start " + options.executable.string() + ": " + std::strerror(rc));
    }
    std::unique_ptr<ChildProcess> child(new ChildProcess(pid, output[0], options.log_name));
    child->start_output_reader();
    return child;
}

ChildProcess::ChildProcess(pid_t pid, int output_fd, std::string log_name)
    : pid_(pid), output_fd_(output_fd), log_name_(std::move(log_name)) {}

ChildProcess::~ChildProcess() {
    kill_now();
    if (stop_pipe_[1] >= 0) (void)!::write(stop_pipe_[1], "x", 1);
    if (output_reader_.joinable()) output_reader_.join();
    for (int fd : {output_fd_, stop_pipe_[0], stop_pipe_[1]})
        if (fd >= 0) ::close(fd);
}

// Logs the child's output line by line until EOF, or until told to stop (a
// grandchild could keep the pipe open forever).
void ChildProcess::start_output_reader() {
    if (output_fd_ < 0 || ::pipe2(stop_pipe_, O_CLOEXEC) != 0) return;
    output_reader_ = std::thread([this] {
        auto log = kernel::logger(log_name_);
        std::string pending;
        char buffer[4096];
        for (;;) {
            pollfd fds[2] = {{output_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
            if (::poll(fds, 2, -1) < 0) {
                if (errno == EINTR) continue;
                break;
            }
            if (fds[1].revents) break;
            const ssize_t n = ::read(output_fd_, buffer, sizeof buffer);
            if (n <= 0) break;
            pending.append(buffer, static_cast<size_t>(n));
            for (size_t eol; (eol = pending.find('\n')) != std::string::npos; pending.erase(0, eol + 1))
                log->info("[stderr] {}", pending.substr(0, eol));
        }
        if (!pending.empty()) log->info("[stderr] {}", pending);
    });
}

std::optional<ExitStatus> ChildProcess::try_reap() {
    if (status_) return status_;
    int wstatus = 0;
    const pid_t r = ::waitpid(pid_, &wstatus, WNOHANG);
    if (r == pid_) status_ = decode(wstatus);
    if (r < 0 && errno == ECHILD) status_ = ExitStatus{false, 0, false};
    return status_;
}

ExitStatus ChildProcess::wait_or_kill(std::chrono::milliseconds grace) {
    std::lock_guard lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (!try_reap() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (status_) return *status_;
    ::kill(pid_, SIGKILL);
    int wstatus = 0;
    pid_t r;
    do r = ::waitpid(pid_, &wstatus, 0);
    while (r < 0 && errno == EINTR);
    status_ = r == pid_ ? decode(wstatus) : ExitStatus{false, 0, false};
    return *status_;
}

std::optional<ExitStatus> ChildProcess::exit_status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

}  // namespace cowork::kernel::process
