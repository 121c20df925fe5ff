// kernel/remote/listener.hpp — finding the control plane of a running
// coworkd for the same home: the plugin's listener.json plus a liveness check.
#pragma once

#include "core/result.hpp"
#include "remote/ws_transport.hpp"

#include <filesystem>
#include <string>

namespace cowork::kernel::remote {

struct Listener {
    std::filesystem::path file;        // …/plugin-data/frontend.control-plane/listener.json
    std::string url;                   // ws://127.0.0.1:18789/
    std::filesystem::path token_file;  // the operator token (read only to pair)
    long pid = 0;
    Endpoint endpoint;                 // parsed url, certificate pin included for wss://
};

// Where coworkd's control plane writes listener.json for a data dir.
std::filesystem::path listener_file(const std::filesystem::path& data_dir);

// The listener of a coworkd that looks alive (its pid exists). Fails with
// code "unavailable" and a message saying why not (no file: coworkd is not
// running or its control plane is disabled; stale file: the process is gone).
Result<Listener> find_listener(const std::filesystem::path& data_dir);

}  // namespace cowork::kernel::remote
