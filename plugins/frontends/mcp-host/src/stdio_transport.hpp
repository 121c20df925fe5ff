// stdio_transport.hpp — MCP over a pair of file descriptors: one JSON-RPC
// message per line (newline-delimited, no embedded newlines). Used by
// `cowork mcp serve`, which hands this plugin the process's real stdin and
// stdout (see kernel/bin/cli/mcp_serve.cpp and docs/mcp.md).
#pragma once

#include "dispatcher.hpp"
#include "session.hpp"

#include <boost/asio/thread_pool.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cowork::mcp {

// The hand-off: "<in fd>,<out fd>,<done fd>" in this environment variable.
inline constexpr const char* kStdioFdsEnv = "COWORK_MCP_STDIO_FDS";

struct StdioFds {
    int in = -1, out = -1, done = -1;  // done: closed when the client hung up (EOF)
};
// Parses and checks kStdioFdsEnv; nullopt when unset, throws when malformed.
std::optional<StdioFds> stdio_fds_from_env();

class StdioTransport {
public:
    StdioTransport(StdioFds fds, std::shared_ptr<Session> session, const Dispatcher& dispatcher, size_t max_line);
    ~StdioTransport();
    StdioTransport(const StdioTransport&) = delete;
    StdioTransport& operator=(const StdioTransport&) = delete;

    void start();  // the reader thread
    void stop();   // stops reading, waits for calls in flight

private:
    void read_loop();
    void handle_line(const std::string& line);
    void write(const Json& message);

    StdioFds fds_;
    std::shared_ptr<Session> session_;
    const Dispatcher& dispatcher_;
    size_t max_line_;
    uint64_t stream_token_ = 0;
    int wake_[2] = {-1, -1};  // self-pipe: stop() interrupts the reader's poll
    std::mutex write_mutex_;
    boost::asio::thread_pool workers_{4};
    std::thread reader_;
};

}  // namespace cowork::mcp
