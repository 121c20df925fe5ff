#include "bin/cli/open_connection.hpp"

#include "bin/cli/local_connection.hpp"
#include "bin/cli/remote_connection.hpp"
#include "config/load.hpp"
#include "core/paths.hpp"
#include "remote/cli_session.hpp"

#include <fstream>
#include <sstream>

namespace cowork::kernel::cli {
namespace {

// How long to wait for a daemon that looks alive before giving up on it.
constexpr std::chrono::milliseconds kConnectTimeout{5000};

// The data dir the daemon uses: [kernel] data_dir when the config sets it.
// Read without side effects (no default file written); a config the kernel
// could not load falls back to the default, and the local boot then reports it.
std::filesystem::path data_dir(const app::KernelOptions& o) {
    const Paths paths = resolve_paths();
    const auto file = o.config_file.value_or(paths.config_file());
    std::ifstream in(file);
    if (!in) return paths.data_dir;
    std::stringstream text;
    text << in.rdbuf();
    auto loaded = config::load_text(text.str(), file.string(), config::process_environment());
    if (!loaded || loaded->config.kernel.data_dir.empty()) return paths.data_dir;
    return loaded->config.kernel.data_dir;
}

Result<std::unique_ptr<Connection>> open_remote(const app::KernelOptions& o) {
    auto listener = remote::find_listener(data_dir(o));
    if (!listener) return listener.error();
    auto session = remote::open_cli_session(*listener, cli_device_file(), kConnectTimeout);
    if (!session) return session.error();
    return std::unique_ptr<Connection>(std::make_unique<RemoteConnection>(std::move(*session), listener->url));
}

}  // namespace

std::filesystem::path cli_device_file() { return resolve_paths().config_dir / "cli-device.json"; }

Result<Opened> open_connection(const ConnectOptions& options) {
    if (options.mode == ConnectMode::local) return Opened{std::make_unique<LocalConnection>(options.kernel), "--local"};
    auto remote = open_remote(options.kernel);
    if (remote) return Opened{std::move(*remote), ""};
    if (options.mode == ConnectMode::remote)
        return make_error(remote.error().code, "--remote: " + remote.error().message);
    // Only "nobody is there" falls back; a daemon that refuses us must be
    // reported, or the CLI would silently run a second kernel beside it.
    if (remote.error().code != "unavailable") return remote.error();
    return Opened{std::make_unique<LocalConnection>(options.kernel), "no coworkd: " + remote.error().message};
}

}  // namespace cowork::kernel::cli
