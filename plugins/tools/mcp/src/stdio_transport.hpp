// stdio_transport.hpp — an MCP server as a child process: newline-delimited
// JSON-RPC on its stdin/stdout, its stderr lines into our log (throttled,
// masked). close() ends the whole process group and reaps it.
#pragma once

#include "child_process.hpp"
#include "line_reader.hpp"
#include "log_throttle.hpp"
#include "transport.hpp"

#include <memory>
#include <mutex>

namespace cowork::mcp {

struct StdioOptions {
    SpawnSpec spawn;
    size_t max_message_bytes = 16 * 1024 * 1024;
    // Each of the two waits (after closing stdin, after SIGTERM); servers are
    // stopped in parallel, so stopping stays well inside the kernel's 5 s deadline.
    std::chrono::milliseconds shutdown_grace{1000};
    std::function<void(const std::string&)> log_stderr;  // one (already throttled) line
};

class StdioTransport final : public Transport {
public:
    explicit StdioTransport(StdioOptions options);
    ~StdioTransport() override;

    void open(TransportHandlers handlers) override;
    void send(const Json& message) override;
    void close() override;
    std::string kind() const override { return "stdio"; }

    pid_t pid() const;

private:
    StdioOptions options_;
    TransportHandlers handlers_;
    std::unique_ptr<ChildProcess> child_;
    std::unique_ptr<LogThrottle> stderr_log_;
    std::unique_ptr<LineReader> out_reader_;
    std::unique_ptr<LineReader> err_reader_;
    mutable std::mutex write_mutex_;
    std::mutex close_mutex_;
    bool closed_ = false;
};

}  // namespace cowork::mcp
