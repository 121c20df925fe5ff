// kernel/process/process_options.hpp — knobs for out-of-process plugins.
#pragma once

#include "process/frame.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace cowork::kernel::process {

struct ProcessOptions {
    // Empty: cowork-plugin-host next to the running executable.
    std::filesystem::path host_executable;
    // plugin.create (includes loading the library in the child).
    std::chrono::milliseconds create_timeout{10'000};
    // init, on_all_initialized, start, destroy, get_interface.
    std::chrono::milliseconds lifecycle_timeout{30'000};
    // Interface slot calls (tool calls, completions…).
    std::chrono::milliseconds call_timeout{300'000};
    // stop(deadline) waits deadline + this before giving up.
    std::chrono::milliseconds stop_grace{1'000};
    // After the link ends: how long the child gets to exit before SIGKILL.
    std::chrono::milliseconds exit_grace{2'000};
    // A write blocked this long (child not reading) ends the link.
    std::chrono::milliseconds send_timeout{10'000};
    // Child stdout/stderr → kernel log (logger named by plugin id).
    bool capture_output = true;
    // The only environment variables the child inherits.
    std::vector<std::string> env_allowlist = {"PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
                                              "XDG_RUNTIME_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
                                              "XDG_CACHE_HOME"};
    size_t max_frame = kDefaultMaxFrame;
};

}  // namespace cowork::kernel::process
