// kernel/remote/cli_session.hpp — an authenticated control-plane session for
// the cowork CLI: pairs the CLI as a device on first use (with the operator
// token, which only the same user can read), signs the challenge afterwards.
#pragma once

#include "remote/client.hpp"
#include "remote/listener.hpp"

#include <filesystem>

namespace cowork::kernel::remote {

// The CLI pairs as an admin device: it runs every command the in-process
// kernel would (plugin enable/disable, devices.*), for the same user.
inline const std::vector<std::string> kCliScopes{"read", "write", "approve", "admin"};
inline constexpr const char* kCliRole = "admin";

// Opens and authenticates. `key_file` is <config dir>/cli-device.json.
// Errors say what to do: an unreadable token (pair from an admin device or
// use --local), a refused key (revoked or the daemon's data was reset:
// delete the key file to pair again).
Result<std::unique_ptr<Client>> open_cli_session(const Listener& listener, const std::filesystem::path& key_file,
                                                 std::chrono::milliseconds timeout);

}  // namespace cowork::kernel::remote
