// kernel/bin/cli/local_connection.hpp — the kernel booted inside the CLI
// (no coworkd running, or --local). Plugins are initialized, or started when
// the command needs them (tools, tasks); frontends never listen here.
#pragma once

#include "app/kernel.hpp"
#include "bin/cli/connection.hpp"

#include <optional>

namespace cowork::kernel::cli {

class LocalConnection : public Connection {
public:
    LocalConnection(app::KernelOptions options) : options_(std::move(options)) {}
    ~LocalConnection() override;

    // Boots on first use; later calls reuse it (the stage of the first wins).
    Result<app::Kernel*> kernel();
    Result<Json> call(const std::string& method, const Json& params) override;
    std::vector<PushedEvent> wait_events(std::chrono::milliseconds timeout) override;
    std::string describe() const override { return "the in-process kernel"; }
    bool remote() const override { return false; }

private:
    app::KernelOptions options_;
    std::optional<app::Kernel> kernel_;
    std::optional<Error> boot_error_;
};

}  // namespace cowork::kernel::cli
