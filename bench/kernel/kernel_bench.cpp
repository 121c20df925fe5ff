// Kernel start-up and footprint: spawns coworkd in a throwaway COWORK_HOME
// and prints cold start to ready (wall, as seen from outside), idle RSS with
// every plugin it finds loaded, and shutdown time after SIGTERM.
//
//   cowork_bench_kernel [--coworkd PATH] [--runs N] [--plugin-dir DIR]...
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Child {
    pid_t pid = -1;
    FILE* out = nullptr;
};

Child spawn(const std::vector<std::string>& argv, const fs::path& home) {
    int fds[2];
    if (pipe(fds) != 0) std::exit(1);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        setenv("COWORK_HOME", home.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    close(fds[1]);
    return {pid, fdopen(fds[0], "r")};
}

// Reads lines until the JSON "ready" event; returns its report.
nlohmann::json wait_ready(Child& c) {
    char buf[65536];
    while (fgets(buf, sizeof buf, c.out)) {
        auto j = nlohmann::json::parse(buf, nullptr, false);
        if (!j.is_discarded() && j.value("event", "") == "ready") return j["report"];
    }
    return nullptr;
}

long status_kib(pid_t pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0) return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
    return -1;
}

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
    fs::path coworkd = fs::canonical("/proc/self/exe").parent_path().parent_path() / "out/bin/coworkd";
    int runs = 10;
    std::vector<std::string> plugin_dirs;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--coworkd") coworkd = argv[i + 1];
        else if (a == "--runs") runs = std::atoi(argv[i + 1]);
        else if (a == "--plugin-dir") plugin_dirs.push_back(argv[i + 1]);
    }
    const fs::path home = fs::temp_directory_path() / ("cowork-bench-" + std::to_string(getpid()));
    std::vector<std::string> base{coworkd.string(), "--json", "--quiet"};
    for (const auto& d : plugin_dirs) base.insert(base.end(), {"--plugin-dir", d});

    // First run creates config, key and database: report it separately.
    std::vector<double> walls;
    double first = 0;
    nlohmann::json report;
    for (int r = 0; r <= runs; ++r) {
        auto argv2 = base;
        argv2.push_back("--exit-when-ready");
        const auto t0 = Clock::now();
        Child c = spawn(argv2, home);
        report = wait_ready(c);
        const double wall = ms_since(t0);
        int st = 0;
        waitpid(c.pid, &st, 0);
        fclose(c.out);
        if (report.is_null()) {
            std::cerr << "coworkd did not become ready (exit " << WEXITSTATUS(st) << ")\n";
            return 1;
        }
        if (r == 0) first = wall;
        else walls.push_back(wall);
    }
    std::sort(walls.begin(), walls.end());
    std::printf("kernel cold start → ready: first run (creates config/db/key) %.1f ms; next %d runs median %.1f ms, min %.1f, max %.1f\n",
                first, runs, walls[walls.size() / 2], walls.front(), walls.back());
    std::printf("  plugins: %s\n", report.value("summary", "").c_str());

    // Idle footprint: let it settle, then read RSS; then time a SIGTERM stop.
    Child c = spawn(base, home);
    if (wait_ready(c).is_null()) return 1;
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const long rss = status_kib(c.pid, "VmRSS"), hwm = status_kib(c.pid, "VmHWM");
    const long threads = status_kib(c.pid, "Threads");
    const auto t0 = Clock::now();
    kill(c.pid, SIGTERM);
    int st = 0;
    waitpid(c.pid, &st, 0);
    fclose(c.out);
    std::printf("idle: RSS %.1f MiB (peak %.1f MiB), %ld threads; SIGTERM → exit %.1f ms (status %d)\n", rss / 1024.0,
                hwm / 1024.0, threads, ms_since(t0), WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    std::error_code ec;
    fs::remove_all(home, ec);
    return 0;
}
