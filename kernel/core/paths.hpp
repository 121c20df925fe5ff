// kernel/core/paths.hpp — where CoWork keeps its files (XDG base directories).
#pragma once

#include <filesystem>

namespace cowork::kernel {

struct Paths {
    std::filesystem::path config_dir;  // $XDG_CONFIG_HOME/cowork
    std::filesystem::path data_dir;    // $XDG_DATA_HOME/cowork
    std::filesystem::path state_dir;   // $XDG_STATE_HOME/cowork (logs)
    std::filesystem::path runtime_dir; // $XDG_RUNTIME_DIR/cowork or data_dir/run

    std::filesystem::path config_file() const { return config_dir / "cowork.toml"; }
    std::filesystem::path database() const { return data_dir / "cowork.db"; }
    std::filesystem::path log_file() const { return state_dir / "coworkd.log"; }
    std::filesystem::path user_plugins() const { return data_dir / "plugins"; }
};

// Resolve from the environment ($COWORK_HOME overrides all: everything lives
// under it, which tests and portable installs use).
Paths resolve_paths();

// Directory of the running executable (for bundled plugins next to it).
std::filesystem::path executable_dir();

}  // namespace cowork::kernel
