// kernel/bin/cli/connection.hpp — what a CLI command talks to: the kernel
// booted in this process, or a running coworkd over its control plane. Every
// command goes through this one interface, so both behave the same.
#pragma once

#include "core/result.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace cowork::kernel::cli {

struct PushedEvent {
    std::string name;  // "task.event", "approval.requested", "shutdown", …
    Json payload;
};

class Connection {
public:
    virtual ~Connection() = default;
    // [main] One API method call. Errors keep the API's codes (UNKNOWN_METHOD, …).
    virtual Result<Json> call(const std::string& method, const Json& params) = 0;
    // [main] Waits up to `timeout` for pushed events and returns them. The
    // in-process kernel pushes none: callers poll the journal either way, so
    // events only make a remote CLI react sooner.
    virtual std::vector<PushedEvent> wait_events(std::chrono::milliseconds timeout) = 0;
    // "in-process kernel" or "coworkd at ws://…" (for --verbose and errors).
    virtual std::string describe() const = 0;
    virtual bool remote() const = 0;
};

}  // namespace cowork::kernel::cli
