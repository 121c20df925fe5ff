// kernel/bin/cli/remote_connection.hpp — a running coworkd, reached over its
// control plane as the CLI's paired device (kernel/remote).
#pragma once

#include "bin/cli/connection.hpp"
#include "remote/client.hpp"

#include <memory>

namespace cowork::kernel::cli {

class RemoteConnection : public Connection {
public:
    RemoteConnection(std::unique_ptr<remote::Client> client, std::string url)
        : client_(std::move(client)), url_(std::move(url)) {}

    Result<Json> call(const std::string& method, const Json& params) override { return client_->call(method, params); }
    std::vector<PushedEvent> wait_events(std::chrono::milliseconds timeout) override;
    std::string describe() const override { return "coworkd at " + url_; }
    bool remote() const override { return true; }

private:
    std::unique_ptr<remote::Client> client_;
    std::string url_;
};

}  // namespace cowork::kernel::cli
