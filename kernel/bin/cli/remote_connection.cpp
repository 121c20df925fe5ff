#include "bin/cli/remote_connection.hpp"

namespace cowork::kernel::cli {

std::vector<PushedEvent> RemoteConnection::wait_events(std::chrono::milliseconds timeout) {
    std::vector<PushedEvent> out;
    for (auto& e : client_->wait_events(timeout)) out.push_back({std::move(e.name), std::move(e.payload)});
    return out;
}

}  // namespace cowork::kernel::cli
