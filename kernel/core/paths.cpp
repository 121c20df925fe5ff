#include "paths.hpp"

#include <cstdlib>
#include <system_error>

#include <unistd.h>

namespace cowork::kernel {
namespace {

std::filesystem::path env_or(const char* name, const std::filesystem::path& fallback) {
    const char* v = std::getenv(name);
    return (v && *v) ? std::filesystem::path(v) : fallback;
}

}  // namespace

Paths resolve_paths() {
    Paths p;
    if (const char* home = std::getenv("COWORK_HOME"); home && *home) {
        const std::filesystem::path root(home);
        p.config_dir = root / "config";
        p.data_dir = root / "data";
        p.state_dir = root / "state";
        p.runtime_dir = root / "run";
        return p;
    }
    const std::filesystem::path home = env_or("HOME", "/tmp");
    p.config_dir = env_or("XDG_CONFIG_HOME", home / ".config") / "cowork";
    p.data_dir = env_or("XDG_DATA_HOME", home / ".local/share") / "cowork";
    p.state_dir = env_or("XDG_STATE_HOME", home / ".local/state") / "cowork";
    const char* rt = std::getenv("XDG_RUNTIME_DIR");
    p.runtime_dir = (rt && *rt) ? std::filesystem::path(rt) / "cowork" : p.data_dir / "run";
    return p;
}

std::filesystem::path executable_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::current_path() : exe.parent_path();
}

}  // namespace cowork::kernel
