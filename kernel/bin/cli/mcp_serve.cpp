#include "bin/cli/mcp_serve.hpp"

#include "app/kernel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

namespace cowork::kernel::cli {
namespace {

constexpr const char* kPluginId = "frontend.mcp-host";

struct Handoff {
    int in = -1, out = -1, done_read = -1, done_write = -1;
};

// Moves the real stdin/stdout out of the way (see the header).
std::optional<Handoff> take_stdio() {
    Handoff h;
    int done[2];
    h.in = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
    h.out = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (h.in < 0 || h.out < 0 || ::pipe2(done, O_CLOEXEC) != 0) return std::nullopt;
    h.done_read = done[0];
    h.done_write = done[1];
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0 || ::dup2(null, STDIN_FILENO) < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) return std::nullopt;
    ::close(null);
    return h;
}

// Why the host is not serving, or empty when it runs.
std::string host_problem(app::Kernel& kernel) {
    auto list = kernel.api().call(api::Caller::system("cli"), "plugin.list", Json::object());
    if (!list) return list.error().message;
    for (const auto& p : *list)
        if (p.value("id", "") == kPluginId) {
            if (p.value("state", "") == "Running") return "";
            return std::string(kPluginId) + " is " + p.value("state", "") +
                   (p.value("reason", "").empty() ? "" : " (" + p.value("reason", "") + ")") +
                   ". Enable it with `cowork plugins enable frontend.mcp-host`; `cowork plugins list` shows why it failed.";
        }
    return std::string(kPluginId) + " is not installed (no plugin root has it; see `cowork plugins list`)";
}

// Blocks until the host closes its end of the pipe (stdin EOF) or a signal.
void wait_for_end(int done_read, int signal_fd) {
    pollfd p[2] = {{done_read, POLLIN, 0}, {signal_fd, POLLIN, 0}};
    while (::poll(p, 2, -1) < 0 && errno == EINTR) {
    }
}

}  // namespace

int mcp_serve(const Args& args) {
    // Signals go to the signalfd, not to a random kernel thread.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    const int signal_fd = ::signalfd(-1, &set, SFD_CLOEXEC);

    auto handoff = take_stdio();
    if (!handoff || signal_fd < 0) {
        std::cerr << "cowork mcp serve: cannot set up stdin/stdout: " << std::strerror(errno) << "\n";
        return 1;
    }
    const std::string fds = std::to_string(handoff->in) + "," + std::to_string(handoff->out) + "," +
                            std::to_string(handoff->done_write);
    ::setenv("COWORK_MCP_STDIO_FDS", fds.c_str(), 1);

    app::KernelOptions options;
    if (auto c = args.value("config")) options.config_file = *c;
    for (const auto& d : args.all("plugin-dir")) options.plugin_dirs.emplace_back(d);
    options.console_log = args.flag("verbose");  // fd 1 is stderr by now either way
    options.plugin_stage = app::PluginStage::Running;
    options.role = "cli";
    app::Kernel kernel(options);
    if (auto st = kernel.boot(); !st) {
        std::cerr << "cowork mcp serve: " << st.error().message << "\n";
        return 1;
    }
    if (const std::string problem = host_problem(kernel); !problem.empty()) {
        std::cerr << "cowork mcp serve: " << problem << "\n";
        kernel.shutdown();
        return 1;
    }
    // The host has its descriptors; later child processes need not see them.
    ::unsetenv("COWORK_MCP_STDIO_FDS");
    wait_for_end(handoff->done_read, signal_fd);
    kernel.shutdown();
    return 0;
}

}  // namespace cowork::kernel::cli
