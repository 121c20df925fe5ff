#include "chromium_launcher.hpp"

#include <cowork_tools/tool_failure.hpp>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cowork::browser {
namespace fs = std::filesystem;
using tools::ToolFailure;

namespace {

constexpr auto kTermGrace = std::chrono::milliseconds(2000);
constexpr auto kPoll = std::chrono::milliseconds(50);

std::vector<char*> c_array(const std::vector<std::string>& v) {
    std::vector<char*> out;
    for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

std::string make_scratch_dir() {
    const char* tmp = ::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/cowork-browser-XXXXXX";
    if (!::mkdtemp(templ.data())) tools::fail_errno("cannot create a browser profile directory", errno);
    fs::create_directories(fs::path(templ) / "profile");
    fs::create_directories(fs::path(templ) / "home");
    return templ;
}

// Chromium gets a minimal environment: nothing from ours (API keys, tokens)
// reaches a process that runs untrusted web content.
std::vector<std::string> chromium_env(const std::string& scratch) {
    std::vector<std::string> env{"HOME=" + scratch + "/home", "XDG_CONFIG_HOME=" + scratch + "/home/.config",
                                 "XDG_CACHE_HOME=" + scratch + "/home/.cache", "TMPDIR=" + scratch};
    for (const char* name : {"PATH", "LANG", "TZ", "FONTCONFIG_PATH"})
        if (const char* v = ::getenv(name)) env.push_back(std::string(name) + "=" + v);
    if (!::getenv("PATH")) env.emplace_back("PATH=/usr/bin:/bin");
    return env;
}

std::vector<std::string> chromium_argv(const std::string& binary, const std::string& scratch, const LaunchOptions& o) {
    return {binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--password-store=basic",
            "--use-mock-keychain",
            // Back/forward cache restores fire no load events; we wait on them.
            "--disable-features=BackForwardCache,Translate,MediaRouter",
            // WebRTC could reach local addresses without passing Fetch interception.
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--hide-scrollbars",
            "--mute-audio",
            "--window-size=" + std::to_string(o.width) + "," + std::to_string(o.height),
            "--user-data-dir=" + scratch + "/profile",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "about:blank"};
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

std::string find_chromium(const std::string& configured) {
    if (!configured.empty()) return ::access(configured.c_str(), X_OK) == 0 ? configured : "";
    for (const char* p : {"/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser",
                          "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"})
        if (::access(p, X_OK) == 0) return p;
    return "";
}

std::unique_ptr<ChromiumProcess> ChromiumProcess::launch(const LaunchOptions& options) {
    const std::string binary = find_chromium(options.binary);
    if (binary.empty())
        throw ToolFailure(options.binary.empty() ? "no Chromium found (install it: apt-get install chromium, or set chromium_path)"
                                                 : "chromium_path '" + options.binary + "' is not an executable file");
    std::unique_ptr<ChromiumProcess> p(new ChromiumProcess());
    p->scratch_ = make_scratch_dir();
    p->thread_ = std::thread(&ChromiumProcess::keeper, p.get(), chromium_argv(binary, p->scratch_, options),
                             chromium_env(p->scratch_));

    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    const std::string marker = "DevTools listening on ";
    for (;;) {
        {
            std::unique_lock lock(p->mutex_);
            p->cv_.wait_for(lock, kPoll, [&] { return p->exited_ || !p->spawn_error_.empty(); });
            if (!p->spawn_error_.empty()) {
                const std::string why = p->spawn_error_;
                lock.unlock();
                p->terminate();
                throw ToolFailure("cannot start Chromium: " + why);
            }
        }
        const std::string err = read_file(p->scratch_ + "/stderr.log");
        if (const auto at = err.find(marker); at != std::string::npos) {
            const auto end = err.find('\n', at);
            if (end != std::string::npos) {
                p->ws_url_ = err.substr(at + marker.size(), end - at - marker.size());
                return p;
            }
        }
        if (const std::string exit = p->exit_description(); !exit.empty()) {
            const std::string why = exit + "; stderr: " + p->stderr_tail();
            p->terminate();
            throw ToolFailure("Chromium exited during start-up (" + why + ")");
        }
        if (std::chrono::steady_clock::now() > deadline) {
            const std::string tail = p->stderr_tail();
            p->terminate();
            throw ToolFailure("Chromium did not report a DevTools URL within " + std::to_string(options.timeout.count()) +
                              " ms; stderr: " + tail);
        }
    }
}

ChromiumProcess::~ChromiumProcess() { terminate(); }

void ChromiumProcess::keeper(std::vector<std::string> argv, std::vector<std::string> env) {
    spawn(argv, env);
    watch();
}

void ChromiumProcess::spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    // Everything the child touches is prepared before fork: after fork only
    // async-signal-safe calls are allowed in a multi-threaded process.
    auto args = c_array(argv);
    auto envp = c_array(env);
    const std::string log = scratch_ + "/stderr.log";
    const int err_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    const pid_t parent = ::getpid();
    const pid_t pid = (err_fd < 0 || null_fd < 0) ? -1 : ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
        ::dup2(null_fd, 0);
        ::dup2(null_fd, 1);
        ::dup2(err_fd, 2);
        ::syscall(SYS_close_range, 3U, ~0U, 0U);
        ::execve(args[0], args.data(), envp.data());
        ::_exit(127);
    }
    const int fork_errno = errno;
    if (err_fd >= 0) ::close(err_fd);
    if (null_fd >= 0) ::close(null_fd);
    std::lock_guard lock(mutex_);
    if (pid < 0) {
        spawn_error_ = std::string("fork: ") + std::strerror(fork_errno);
        exited_ = true;
    } else {
        ::setpgid(pid, pid);  // also from the parent: no race with killpg below
        pid_ = pid;
        spawned_ = true;
    }
    cv_.notify_all();
}

void ChromiumProcess::watch() {
    if (spawned_) {
        auto term_sent = std::chrono::steady_clock::time_point{};
        for (;;) {
            int status = 0;
            const pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_ || (r < 0 && errno == ECHILD)) {
                std::lock_guard lock(mutex_);
                exited_ = true;
                status_ = status;
                break;
            }
            std::unique_lock lock(mutex_);
            if (stop_requested_ && term_sent == std::chrono::steady_clock::time_point{}) {
                ::killpg(pid_, SIGTERM);
                term_sent = std::chrono::steady_clock::now();
            } else if (stop_requested_ && std::chrono::steady_clock::now() - term_sent > kTermGrace) {
                ::killpg(pid_, SIGKILL);
            }
            cv_.wait_for(lock, kPoll);
        }
        kill_group();
    }
    std::error_code ec;
    fs::remove_all(scratch_, ec);
    std::lock_guard lock(mutex_);
    cleaned_ = true;
    cv_.notify_all();
}

// The leader is reaped; helpers (zygote, renderers) it left behind are
// still in its process group. Kill them and wait until the group is empty.
void ChromiumProcess::kill_group() {
    const auto deadline = std::chrono::steady_clock::now() + kTermGrace;
    while (::killpg(pid_, SIGKILL) == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

bool ChromiumProcess::running() const {
    std::lock_guard lock(mutex_);
    return spawned_ && !exited_;
}

std::string ChromiumProcess::exit_description() const {
    std::lock_guard lock(mutex_);
    if (!exited_) return "";
    if (!spawn_error_.empty()) return spawn_error_;
    if (WIFSIGNALED(status_)) return "killed by signal " + std::to_string(WTERMSIG(status_));
    return "exited with status " + std::to_string(WEXITSTATUS(status_));
}

std::string ChromiumProcess::stderr_tail() const {
    std::string err = read_file(scratch_ + "/stderr.log");
    if (err.size() > 600) err = "…" + err.substr(err.size() - 600);
    return err.empty() ? "(empty)" : err;
}

void ChromiumProcess::terminate() {
    {
        std::lock_guard lock(mutex_);
        stop_requested_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

}  // namespace cowork::browser
