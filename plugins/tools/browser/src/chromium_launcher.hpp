// chromium_launcher.hpp — one headless Chromium with a throwaway profile.
//
// A dedicated keeper thread forks and execs Chromium in its own process
// group, then watches it. PR_SET_PDEATHSIG fires when the *thread* that
// forked exits, so forking from the keeper (which lives exactly as long as
// the browser) ties Chromium to our process without tying it to whatever
// kernel worker happened to make the first call. The keeper reaps the
// leader, kills stragglers in the group and deletes the profile, whether
// we asked it to stop or Chromium crashed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cowork::browser {

struct LaunchOptions {
    std::string binary;  // empty: first of the usual Debian paths that exists
    std::chrono::milliseconds timeout{20000};
    int width = 1280;
    int height = 800;
};

// The binary we would run, or "" when none is installed.
std::string find_chromium(const std::string& configured);

class ChromiumProcess {
public:
    // Starts Chromium and waits for "DevTools listening on ws://…" on its
    // stderr. Throws tools::ToolFailure with the reason (and stderr's tail).
    static std::unique_ptr<ChromiumProcess> launch(const LaunchOptions& options);
    ~ChromiumProcess();
    ChromiumProcess(const ChromiumProcess&) = delete;
    ChromiumProcess& operator=(const ChromiumProcess&) = delete;

    const std::string& ws_url() const noexcept { return ws_url_; }
    pid_t pid() const noexcept { return pid_; }
    const std::string& scratch_dir() const noexcept { return scratch_; }
    bool running() const;
    // "exited with status 1", "killed by signal 9", or "" while running.
    std::string exit_description() const;
    // Kills the process group, reaps the leader and deletes the profile.
    // Idempotent; blocks until done (a few seconds at most).
    void terminate();

private:
    ChromiumProcess() = default;
    void keeper(std::vector<std::string> argv, std::vector<std::string> env);
    void spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env);
    void watch();
    void kill_group();
    std::string stderr_tail() const;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::thread thread_;
    std::string scratch_;   // <tmp>/cowork-browser-XXXXXX: profile/, home/, stderr.log
    std::string ws_url_;
    pid_t pid_ = -1;
    bool spawned_ = false;
    bool exited_ = false;
    bool cleaned_ = false;
    bool stop_requested_ = false;
    int status_ = 0;
    std::string spawn_error_;
};

}  // namespace cowork::browser
