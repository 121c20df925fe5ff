// tests/integration/process_helpers.hpp — run the real binaries from tests.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sys/types.h>
#include <map>
#include <string>
#include <vector>

namespace cowork::e2e {

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
    nlohmann::json json() const { return nlohmann::json::parse(out, nullptr, false); }
};

std::filesystem::path build_out();        // <build>/out (COWORK_BUILD_OUT)
std::filesystem::path bin(const std::string& name);
std::filesystem::path fixture_plugins();  // <build>/fixtures/plugins

// A fresh COWORK_HOME, removed on destruction.
class Home {
public:
    Home();
    ~Home();
    const std::filesystem::path& path() const { return path_; }
    // Every file under it, concatenated (to search for leaked secrets).
    std::string all_text() const;

private:
    std::filesystem::path path_;
};

// Runs argv with COWORK_HOME=home and optional stdin; waits for exit.
Run run(const std::vector<std::string>& argv, const Home& home, const std::string& input = "",
        const std::map<std::string, std::string>& env = {});

// Starts argv in the background with COWORK_HOME=home, stdin on /dev/null and
// stdout+stderr in `output`; returns its pid (the caller waits for it).
pid_t spawn_background(const std::vector<std::string>& argv, const Home& home,
                       const std::map<std::string, std::string>& env, const std::filesystem::path& output);

// A background coworkd; the constructor waits for its JSON "ready" line.
// Its control plane listens on a free port (COWORK_CONTROL_PLANE_PORT=0, so
// tests run in parallel); `env` adds or overrides variables.
class Daemon {
public:
    Daemon(const Home& home, std::vector<std::string> extra_args,
           const std::map<std::string, std::string>& env = {});
    ~Daemon();
    bool ready() const { return !ready_report_.is_null(); }
    const nlohmann::json& report() const { return ready_report_; }
    int pid() const { return pid_; }
    // Sends a signal and waits for exit; returns the exit status (or 128+sig).
    int stop(int signal_number);

private:
    int pid_ = -1;
    int out_fd_ = -1;
    nlohmann::json ready_report_;
};

}  // namespace cowork::e2e
