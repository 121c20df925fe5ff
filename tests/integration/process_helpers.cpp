#include "process_helpers.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cowork::e2e {
namespace {

// Everything is built before fork(): tests run threads (and call run() from
// several at once), and a child may only make async-signal-safe calls (no
// malloc, no setenv) until it execs — otherwise it can deadlock on a lock
// another thread held at fork time.
pid_t spawn_child(const std::vector<std::string>& argv, const Home& home, const std::map<std::string, std::string>& env,
                  int in_fd, int out_fd, int err_fd) {
    std::map<std::string, std::string> vars;
    for (char** e = environ; *e; ++e) {
        const std::string kv(*e);
        const auto eq = kv.find('=');
        if (eq != std::string::npos) vars[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    vars["COWORK_HOME"] = home.path().string();
    for (const auto& [k, v] : env) vars[k] = v;
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : vars) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp, args;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = fork();
    if (pid != 0) return pid;
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execve(args[0], args.data(), envp.data());
    _exit(127);
}

}  // namespace

fs::path build_out() {
    const char* v = std::getenv("COWORK_BUILD_OUT");
    return v ? fs::path(v) : fs::current_path().parent_path() / "out";
}

fs::path bin(const std::string& name) { return build_out() / "bin" / name; }

fs::path fixture_plugins() { return build_out().parent_path() / "fixtures" / "plugins"; }

Home::Home() {
    char tmpl[] = "/tmp/cowork-e2e-XXXXXX";
    path_ = mkdtemp(tmpl);
}

Home::~Home() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string Home::all_text() const {
    std::string all;
    for (const auto& e : fs::recursive_directory_iterator(path_)) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        all += std::string(std::istreambuf_iterator<char>(in), {});
    }
    return all;
}

pid_t spawn_background(const std::vector<std::string>& argv, const Home& home,
                       const std::map<std::string, std::string>& env, const fs::path& output) {
    const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const pid_t pid = spawn_child(argv, home, env, in, out, out);
    ::close(in);
    ::close(out);
    return pid;
}

Run run(const std::vector<std::string>& argv, const Home& home, const std::string& input,
        const std::map<std::string, std::string>& env) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return {};
    pid_t pid = spawn_child(argv, home, env, in[0], out[1], err[1]);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (!input.empty()) (void)!write(in[1], input.data(), input.size());
    close(in[1]);
    Run r;
    // Read both pipes without deadlocking on a full one.
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[8192];
    while (open_fds > 0 && poll(fds, 2, 120000) > 0) {
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
            }
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

Daemon::Daemon(const Home& home, std::vector<std::string> extra_args, const std::map<std::string, std::string>& env) {
    std::vector<std::string> argv{bin("coworkd").string(), "--json", "--quiet"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    int out[2];
    if (pipe2(out, O_CLOEXEC)) return;
    int devnull = ::open("/dev/null", O_RDWR);
    std::map<std::string, std::string> vars{{"COWORK_CONTROL_PLANE_PORT", "0"}};
    for (const auto& [k, v] : env) vars[k] = v;
    pid_ = spawn_child(argv, home, vars, devnull, out[1], devnull);
    close(devnull);
    close(out[1]);
    out_fd_ = out[0];
    std::string line;
    char c;
    pollfd p{out_fd_, POLLIN, 0};
    while (poll(&p, 1, 30000) > 0 && read(out_fd_, &c, 1) == 1) {
        if (c != '\n') {
            line += c;
            continue;
        }
        auto j = nlohmann::json::parse(line, nullptr, false);
        line.clear();
        if (!j.is_discarded() && j.value("event", "") == "ready") {
            ready_report_ = j["report"];
            break;
        }
    }
}

int Daemon::stop(int signal_number) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal_number);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Daemon::~Daemon() {
    if (pid_ > 0) stop(SIGKILL);
    if (out_fd_ >= 0) close(out_fd_);
}

}  // namespace cowork::e2e
