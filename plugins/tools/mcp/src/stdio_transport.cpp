#include "stdio_transport.hpp"

#include <cowork/sdk/error.hpp>

#include <cerrno>
#include <cstring>
#include <sys/socket.h>

namespace cowork::mcp {

StdioTransport::StdioTransport(StdioOptions options) : options_(std::move(options)) {}

StdioTransport::~StdioTransport() { close(); }

void StdioTransport::open(TransportHandlers handlers) {
    handlers_ = std::move(handlers);
    child_ = std::make_unique<ChildProcess>(options_.spawn);
    std::vector<std::string> masked;
    for (const auto& [k, v] : options_.spawn.env) masked.push_back(v);
    auto log = options_.log_stderr ? options_.log_stderr : [](const std::string&) {};
    stderr_log_ = std::make_unique<LogThrottle>(log, 50, std::chrono::seconds(10), masked);
    err_reader_ = std::make_unique<LineReader>(
        child_->stderr_fd(), 64 * 1024, [this](std::string&& line) { stderr_log_->line(line); }, nullptr, nullptr);
    out_reader_ = std::make_unique<LineReader>(
        child_->stdout_fd(), options_.max_message_bytes,
        [this](std::string&& line) {
            Json message = Json::parse(line, nullptr, false);
            if (message.is_discarded()) {
                if (handlers_.on_garbage) handlers_.on_garbage(line.substr(0, 200));
                return;
            }
            handlers_.on_message(message);
        },
        [this](size_t bytes) {
            if (handlers_.on_garbage)
                handlers_.on_garbage("a message of " + std::to_string(bytes) + " bytes exceeded max_message_bytes; dropped");
        },
        [this] {
            if (handlers_.on_closed) handlers_.on_closed("the server process closed its stdout (exited?)");
        });
}

void StdioTransport::send(const Json& message) {
    std::string line = message.dump(-1, ' ', false, Json::error_handler_t::replace);
    line.push_back('\n');
    std::lock_guard lock(write_mutex_);
    if (!child_ || child_->stdin_fd() < 0) throw sdk::failed("the server process is not running");
    size_t off = 0;
    while (off < line.size()) {
        const ssize_t n = ::send(child_->stdin_fd(), line.data() + off, line.size() - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw sdk::failed(std::string("writing to the server's stdin failed: ") + std::strerror(errno));
        off += static_cast<size_t>(n);
    }
}

pid_t StdioTransport::pid() const { return child_ ? child_->pid() : -1; }

void StdioTransport::close() {
    std::lock_guard lock(close_mutex_);
    if (closed_ || !child_) return;
    closed_ = true;
    {
        std::lock_guard w(write_mutex_);  // no send races the stdin close
        child_->terminate(options_.shutdown_grace);
    }
    if (out_reader_) out_reader_->stop();
    if (err_reader_) err_reader_->stop();
}

}  // namespace cowork::mcp
