// kernel/bin/cli/open_connection.hpp — local or remote: when a coworkd for
// the same home answers on its control plane, commands go there; otherwise
// the CLI boots the kernel in-process. --local / --remote force one.
#pragma once

#include "app/kernel.hpp"
#include "bin/cli/connection.hpp"

#include <filesystem>
#include <memory>

namespace cowork::kernel::cli {

enum class ConnectMode { automatic, local, remote };

struct ConnectOptions {
    ConnectMode mode = ConnectMode::automatic;
    app::KernelOptions kernel;  // for the in-process kernel
};

// Why "automatic" chose local, for --verbose ("no coworkd: …").
struct Opened {
    std::unique_ptr<Connection> connection;
    std::string note;
};

Result<Opened> open_connection(const ConnectOptions& options);

// <config dir>/cli-device.json: the CLI's device key for the control plane.
std::filesystem::path cli_device_file();

}  // namespace cowork::kernel::cli
