// coworkd — the CoWork kernel. Headless unless a UI plugin is enabled.
#include "app/kernel.hpp"
#include "bin/cli/args.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>

#include <pthread.h>

using namespace cowork::kernel;

namespace {

const std::vector<cli::OptionSpec> kOptions = {
    {"help", false, false, "show this help and exit"},
    {"version", false, false, "print the version and exit"},
    {"config", true, false, "config file (default $XDG_CONFIG_HOME/cowork/cowork.toml)", "FILE"},
    {"plugin-dir", true, true, "extra plugin root searched after bundled, system and user roots", "DIR"},
    {"log-level", true, false, "trace|debug|info|warn|error (overrides the config)", "LEVEL"},
    {"quiet", false, false, "log to the file only, not the console"},
    {"exit-when-ready", false, false, "boot, report, shut down (checks and benchmarks)"},
    {"json", false, false, "print the ready/stop reports as JSON lines"},
};

void print_help() {
    std::cout << "Usage: coworkd [OPTIONS]\n\n"
                 "The CoWork kernel: loads plugins, serves the API, runs tasks and schedules.\n"
                 "Stops cleanly on SIGINT/SIGTERM (plugins stop in reverse start order).\n\n"
                 "Options:\n"
              << cli::describe_options(kOptions)
              << "\nEnvironment: COWORK_HOME puts config, data and logs under one folder;\n"
                 "COWORK_<SECTION>__<KEY> overrides a config key (e.g. COWORK_KERNEL__LOG_LEVEL=debug).\n";
}

// Block the stop signals in every thread (threads inherit the mask), so
// the main thread can take them synchronously with sigwait.
sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

}  // namespace

int main(int argc, char** argv) {
    const auto started = std::chrono::steady_clock::now();
    auto parsed = cli::parse_args(argc, argv, kOptions);
    if (!parsed) {
        std::cerr << "coworkd: " << parsed.error().message << "\n";
        return 2;
    }
    const cli::Args& args = *parsed;
    if (args.flag("help")) return print_help(), 0;
    if (args.flag("version")) return std::cout << "coworkd " << app::kernel_version() << "\n", 0;
    if (!args.words.empty()) {
        std::cerr << "coworkd: unexpected argument '" << args.words.front() << "' (see --help)\n";
        return 2;
    }

    const sigset_t stop_signals = block_stop_signals();
    signal(SIGPIPE, SIG_IGN);  // a peer closing a socket must not kill the kernel

    app::KernelOptions options;
    if (auto c = args.value("config")) options.config_file = *c;
    for (const auto& d : args.all("plugin-dir")) options.plugin_dirs.emplace_back(d);
    if (auto l = args.value("log-level")) options.log_level = *l;
    options.console_log = !args.flag("quiet");

    app::Kernel kernel(options);
    if (auto st = kernel.boot(); !st) {
        std::cerr << "coworkd: cannot start: " << st.error().message << "\n";
        return 1;
    }
    const auto ready_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    nlohmann::json report = kernel.ready_report();
    report["readyMs"] = ready_ms;
    if (args.flag("json")) {
        std::cout << nlohmann::json{{"event", "ready"}, {"report", report}}.dump() << std::endl;
    } else {
        std::cout << "coworkd ready in " << static_cast<int>(ready_ms) << " ms: " << report.value("summary", "")
                  << std::endl;
    }

    int sig = 0;
    if (!args.flag("exit-when-ready")) sigwait(&stop_signals, &sig);
    kernel.shutdown();
    if (args.flag("json"))
        std::cout << nlohmann::json{{"event", "stopped"}, {"signal", sig}}.dump() << std::endl;
    else
        std::cout << "coworkd stopped" << (sig ? std::string(" (") + strsignal(sig) + ")" : "") << std::endl;
    return 0;
}
