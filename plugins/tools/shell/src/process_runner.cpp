#include "process_runner.hpp"

#include "output_cap.hpp"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "landlock.hpp"

namespace cowork::shell {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// ------------------------------------------------------------- plumbing --

class OwnedFd {
public:
    OwnedFd() = default;
    explicit OwnedFd(int fd) : fd_(fd) {}
    ~OwnedFd() { reset(); }
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    OwnedFd(OwnedFd&& o) noexcept : fd_(o.release()) {}
    int get() const { return fd_; }
    int release() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

struct Pipe {
    OwnedFd read, write;
};

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    return Pipe{OwnedFd(fds[0]), OwnedFd(fds[1])};
}

std::vector<char*> c_strings(const std::vector<std::string>& v) {
    std::vector<char*> out;
    out.reserve(v.size() + 1);
    for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

// ---------------------------------------------------------------- child --

// Which step failed in the child, reported over a close-on-exec pipe: if exec
// succeeds the pipe just closes, so the parent reads 0 bytes.
enum class ChildStep : int { Signals = 1, Session, Stdio, Chdir, Fds, Capabilities, NoNewPrivs, Landlock, Seccomp, Exec };

const char* step_name(ChildStep s) {
    switch (s) {
    case ChildStep::Signals: return "reset signals";
    case ChildStep::Session: return "setsid";
    case ChildStep::Stdio: return "redirect stdio";
    case ChildStep::Chdir: return "chdir";
    case ChildStep::Fds: return "close inherited descriptors";
    case ChildStep::Capabilities: return "drop capabilities";
    case ChildStep::NoNewPrivs: return "PR_SET_NO_NEW_PRIVS";
    case ChildStep::Landlock: return "landlock_restrict_self";
    case ChildStep::Seccomp: return "install seccomp filter";
    case ChildStep::Exec: return "exec";
    }
    return "?";
}

struct ChildReport {
    ChildStep step;
    int error;
};

[[noreturn]] void child_fail(int report_fd, ChildStep step, int error) {
    const ChildReport r{step, error};
    [[maybe_unused]] auto n = ::write(report_fd, &r, sizeof r);
    ::_exit(127);
}

// Root keeps every capability across exec unless the bounding set is empty:
// then exec grants none, and clearing the current sets finishes the job.
// Returns 0 or an errno. Async-signal-safe (raw syscalls only).
int drop_all_capabilities() noexcept {
    for (int cap = 0; cap < 64; ++cap) {
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) return errno;
    }
    ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    return ::syscall(SYS_capset, &header, data) == 0 ? 0 : errno;
}

// Between fork and exec: only async-signal-safe calls (the parent has other
// threads, whose locks may be held forever in this copy of the process).
[[noreturn]] void exec_child(const SpawnSpec& spec, char* const* argv, char* const* envp, int out_w, int err_w,
                             int report_w, const sock_fprog* seccomp) {
    // The kernel's threads may block or ignore signals; a command must start clean.
    sigset_t none;
    sigemptyset(&none);
    if (::sigprocmask(SIG_SETMASK, &none, nullptr) != 0) child_fail(report_w, ChildStep::Signals, errno);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);  // KILL/STOP fail harmlessly

    // Own session and group: the group is what timeouts kill, and no
    // controlling terminal means no TTY of ours to read from or inject into.
    if (::setsid() < 0) child_fail(report_w, ChildStep::Session, errno);

    const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0 || ::dup2(devnull, 0) < 0 || ::dup2(out_w, 1) < 0 || ::dup2(err_w, 2) < 0)
        child_fail(report_w, ChildStep::Stdio, errno);

    if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) child_fail(report_w, ChildStep::Chdir, errno);

    // Descriptors other threads opened without O_CLOEXEC must not leak in.
    if (::syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) != 0) {
        for (int fd = 3; fd < 4096; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    for (int fd : spec.confinement.inherit_fds)
        if (::fcntl(fd, F_SETFD, 0) != 0) child_fail(report_w, ChildStep::Fds, errno);

    const auto& c = spec.confinement;
    if (c.drop_capabilities) {
        if (const int e = drop_all_capabilities()) child_fail(report_w, ChildStep::Capabilities, e);
    }
    if (c.no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        child_fail(report_w, ChildStep::NoNewPrivs, errno);
    if (c.landlock_ruleset_fd >= 0) {
        if (const int err = landlock_restrict_self_raw(c.landlock_ruleset_fd))
            child_fail(report_w, ChildStep::Landlock, err);
    }
    if (seccomp && ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, seccomp) != 0)
        child_fail(report_w, ChildStep::Seccomp, errno);

    ::execve(argv[0], argv, envp);
    child_fail(report_w, ChildStep::Exec, errno);
}

// --------------------------------------------------------------- parent --

void signal_group(pid_t leader, int sig) {
    // The leader called setsid(), so its pid is the group id. Until it is
    // reaped the id cannot be reused, so this never hits a stranger.
    if (::kill(-leader, sig) != 0) ::kill(leader, sig);
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
    (void)pid;
    return -1;
#endif
}

bool leader_has_exited(pid_t pid) {
    siginfo_t info{};
    // WNOWAIT: look without reaping, so the group id stays ours for the final kill.
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

// Reads what is available; returns false at EOF or on a hard error.
bool drain_once(int fd, Stream stream, HeadTailBuffer& cap, const OutputSink& sink) {
    std::array<char, 65536> buf;
    for (;;) {
        const ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n > 0) {
            const std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
            cap.append(chunk);
            if (sink) sink(stream, chunk);
            if (static_cast<std::size_t>(n) < buf.size()) return true;
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
}

// The supervision loop for one started child.
class Supervisor {
public:
    Supervisor(pid_t pid, int out_fd, int err_fd, const RunLimits& limits, const CancelSignal& cancel,
               const OutputSink& sink)
        : pid_(pid), pidfd_(open_pidfd(pid)), out_fd_(out_fd), err_fd_(err_fd), limits_(limits),
          cancel_(cancel), sink_(sink), cap_(limits.output_limit), start_(Clock::now()),
          deadline_(start_ + limits.timeout) {}

    RunOutcome run() {
        try {
            while (!finished()) {
                enforce_deadlines();
                wait_for_activity();
                check_leader();
            }
        } catch (...) {
            // An output sink that throws must not leave a running, unreaped tree.
            if (!exited_) {
                signal_group(pid_, SIGKILL);
                reap(pid_);
            }
            for (int fd : {out_fd_, err_fd_, pidfd_})
                if (fd >= 0) ::close(fd);
            throw;
        }
        return outcome();
    }

private:
    bool finished() const {
        if (!exited_) return false;
        if (out_fd_ < 0 && err_fd_ < 0) return true;
        // Someone left the group and still holds our pipe: stop waiting.
        return Clock::now() >= drain_until_;
    }

    void enforce_deadlines() {
        if (exited_) return;
        const auto now = Clock::now();
        if (!terminating_ && cancel_.raised()) begin_termination(now, cancelled_);
        if (!terminating_ && now >= deadline_) begin_termination(now, timed_out_);
        if (terminating_ && !killed_ && now >= kill_at_) {
            signal_group(pid_, SIGKILL);
            killed_ = true;
        }
    }

    void begin_termination(Clock::time_point now, bool& reason) {
        reason = true;
        terminating_ = true;
        kill_at_ = now + limits_.kill_grace;
        signal_group(pid_, limits_.kill_grace.count() > 0 ? SIGTERM : SIGKILL);
        killed_ = limits_.kill_grace.count() <= 0;
    }

    milliseconds next_wait() const {
        const auto now = Clock::now();
        Clock::time_point next = now + milliseconds(pidfd_ >= 0 ? 1000 : 25);
        if (exited_) next = std::min(next, drain_until_);
        else if (!terminating_) next = std::min(next, deadline_);
        else if (!killed_) next = std::min(next, kill_at_);
        return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(next - now));
    }

    void wait_for_activity() {
        std::array<pollfd, 4> fds{};
        nfds_t n = 0;
        const auto add = [&](int fd) {
            if (fd >= 0) fds[n++] = {fd, POLLIN, 0};
        };
        add(out_fd_);
        add(err_fd_);
        if (!exited_) add(pidfd_);
        if (!terminating_ && !exited_) add(cancel_.wake_fd());  // stays readable once raised
        const int ready = ::poll(fds.data(), n, static_cast<int>(next_wait().count()));
        if (ready <= 0) return;
        for (nfds_t i = 0; i < n; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            if (fds[i].fd == out_fd_) read_stream(out_fd_, Stream::Stdout);
            else if (fds[i].fd == err_fd_) read_stream(err_fd_, Stream::Stderr);
        }
    }

    void read_stream(int& fd, Stream stream) {
        if (!drain_once(fd, stream, cap_, sink_)) {
            ::close(fd);
            fd = -1;
        }
    }

    void check_leader() {
        if (exited_ || !leader_has_exited(pid_)) return;
        // Background jobs die with the command; the zombie leader still pins the group id.
        signal_group(pid_, SIGKILL);
        status_ = reap(pid_);
        exited_ = true;
        ended_ = Clock::now();
        drain_until_ = ended_ + milliseconds(1000);
        if (pidfd_ >= 0) ::close(pidfd_);
        pidfd_ = -1;
    }

    RunOutcome outcome() {
        for (int* fd : {&out_fd_, &err_fd_}) {
            if (*fd >= 0) ::close(*fd);
            *fd = -1;
        }
        RunOutcome r;
        if (WIFEXITED(status_)) {
            r.exit_code = WEXITSTATUS(status_);
        } else if (WIFSIGNALED(status_)) {
            r.signal = WTERMSIG(status_);
            r.exit_code = 128 + r.signal;
        }
        r.timed_out = timed_out_;
        r.cancelled = cancelled_;
        r.output_bytes = cap_.total_bytes();
        r.truncated = cap_.truncated();
        r.output = cap_.render();
        r.duration_ms = static_cast<std::uint64_t>(
            std::chrono::duration_cast<milliseconds>(ended_ - start_).count());
        return r;
    }

    pid_t pid_;
    int pidfd_;
    int out_fd_;
    int err_fd_;
    const RunLimits& limits_;
    const CancelSignal& cancel_;
    const OutputSink& sink_;
    HeadTailBuffer cap_;
    Clock::time_point start_, deadline_, kill_at_, drain_until_, ended_;
    bool terminating_ = false, killed_ = false, timed_out_ = false, cancelled_ = false, exited_ = false;
    int status_ = 0;
};

}  // namespace

// ---------------------------------------------------------- CancelSignal --

CancelSignal::CancelSignal() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
}

CancelSignal::~CancelSignal() {
    if (fd_ >= 0) ::close(fd_);
}

void CancelSignal::raise() noexcept {
    raised_.store(true);
    const uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
}

// ------------------------------------------------------------ run_process --

RunOutcome run_process(const SpawnSpec& spec, const RunLimits& limits, const CancelSignal& cancel,
                       const OutputSink& on_output) {
    if (spec.argv.empty()) throw std::runtime_error("run_process: empty argv");
    Pipe out = make_pipe(), err = make_pipe(), report = make_pipe();
    const auto argv = c_strings(spec.argv);
    const auto envp = c_strings(spec.envp);
    sock_fprog prog{};
    const sock_fprog* seccomp = nullptr;
    if (spec.confinement.seccomp && !spec.confinement.seccomp->empty()) {
        prog.len = static_cast<unsigned short>(spec.confinement.seccomp->size());
        prog.filter = const_cast<sock_filter*>(spec.confinement.seccomp->data());
        seccomp = &prog;
    }

    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) exec_child(spec, argv.data(), envp.data(), out.write.get(), err.write.get(), report.write.get(), seccomp);

    out.write.reset();
    err.write.reset();
    report.write.reset();

    ChildReport failure{};
    ssize_t got;
    while ((got = ::read(report.read.get(), &failure, sizeof failure)) < 0 && errno == EINTR) {
    }
    if (got == static_cast<ssize_t>(sizeof failure)) {
        reap(pid);
        throw std::runtime_error(std::string("could not start the command (") + step_name(failure.step) +
                                 "): " + std::strerror(failure.error));
    }

    for (int fd : {out.read.get(), err.read.get()}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    // The supervisor closes the read ends itself as streams end.
    Supervisor supervisor(pid, out.read.release(), err.read.release(), limits, cancel, on_output);
    return supervisor.run();
}

}  // namespace cowork::shell
