// Paths and helpers shared by the process runtime tests.
#pragma once

#include "plugins/manifest.hpp"
#include "process/process_options.hpp"

#include <cowork/sdk/sink.hpp>

#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace cowork::kernel::process::testing {

// <build>/out, from ctest's environment, else relative to the test binary.
inline std::filesystem::path build_out() {
    if (const char* out = std::getenv("COWORK_BUILD_OUT")) return out;
    return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "out";
}
inline std::filesystem::path fixture_dir() { return build_out().parent_path() / "tests" / "fixtures" / "process"; }
inline std::filesystem::path host_executable() { return build_out() / "bin" / "cowork-plugin-host"; }

inline plugins::Manifest fixture_manifest(const std::string& id) {
    plugins::Manifest m;
    m.id = id;
    m.name = id.substr(id.find('.') + 1);
    m.version = "1.0.0";
    m.type = "tool";
    m.runtime.kind = "process";
    m.runtime.library = id + ".so";
    m.dir = fixture_dir();
    return m;
}

inline ProcessOptions fast_options() {
    ProcessOptions o;
    o.host_executable = host_executable();
    o.create_timeout = std::chrono::milliseconds(5000);
    o.lifecycle_timeout = std::chrono::milliseconds(5000);
    o.call_timeout = std::chrono::milliseconds(5000);
    o.exit_grace = std::chrono::milliseconds(1000);
    return o;
}

// True once `pid` is neither running nor a zombie (it was reaped).
inline bool reaped(pid_t pid) {
    errno = 0;
    const bool not_our_child = ::waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD;
    return not_our_child && !std::filesystem::exists("/proc/" + std::to_string(pid));
}

}  // namespace cowork::kernel::process::testing
