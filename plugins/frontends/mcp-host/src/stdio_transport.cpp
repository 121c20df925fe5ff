#include "stdio_transport.hpp"

#include <cowork/sdk/error.hpp>

#include <boost/asio/post.hpp>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace cowork::mcp {
namespace {

bool valid_fd(int fd) { return fd >= 0 && ::fcntl(fd, F_GETFD) != -1; }

void write_all(int fd, const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the client closed stdout: nothing left to tell it
        done += static_cast<size_t>(n);
    }
}

}  // namespace

std::optional<StdioFds> stdio_fds_from_env() {
    const char* v = std::getenv(kStdioFdsEnv);
    if (!v || !*v) return std::nullopt;
    StdioFds f;
    char sep1 = 0, sep2 = 0;
    std::istringstream in(v);
    if (!(in >> f.in >> sep1 >> f.out >> sep2 >> f.done) || sep1 != ',' || sep2 != ',' || !valid_fd(f.in) ||
        !valid_fd(f.out) || !valid_fd(f.done))
        throw sdk::invalid(std::string(kStdioFdsEnv) + "=\"" + v +
                           "\" does not name three open file descriptors; it is set by `cowork mcp serve` only");
    return f;
}

StdioTransport::StdioTransport(StdioFds fds, std::shared_ptr<Session> session, const Dispatcher& dispatcher, size_t max_line)
    : fds_(fds), session_(std::move(session)), dispatcher_(dispatcher), max_line_(max_line) {}

StdioTransport::~StdioTransport() { stop(); }

void StdioTransport::start() {
    if (reader_.joinable()) return;
    if (::pipe2(wake_, O_CLOEXEC) != 0) throw sdk::failed("stdio transport: pipe2 failed");
    stream_token_ = session_->attach([this](const Json& m) {
        if (!m.is_null()) write(m);
        return true;
    });
    reader_ = std::thread([this] { read_loop(); });
}

void StdioTransport::stop() {
    if (!reader_.joinable()) return;
    const char byte = 1;
    (void)!::write(wake_[1], &byte, 1);
    reader_.join();
    workers_.join();
    ::close(wake_[0]);
    ::close(wake_[1]);
}

void StdioTransport::read_loop() {
    std::string pending;
    bool overlong = false;  // discarding the rest of a too-long line
    char buf[65536];
    for (;;) {
        pollfd p[2] = {{fds_.in, POLLIN, 0}, {wake_[0], POLLIN, 0}};
        if (::poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (p[1].revents) {  // stop(): the kernel is shutting down
            session_->detach(stream_token_);
            return;
        }
        const ssize_t n = ::read(fds_.in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // EOF: the client is gone
        for (ssize_t i = 0; i < n; ++i) {
            if (buf[i] != '\n') {
                if (!overlong) pending.push_back(buf[i]);
                if (pending.size() > max_line_) {
                    overlong = true;
                    pending.clear();
                }
                continue;
            }
            if (overlong) write(error(nullptr, kInvalidRequest, "message larger than max_body; nothing was run"));
            else if (!pending.empty() && pending != "\r") handle_line(pending);
            pending.clear();
            overlong = false;
        }
    }
    // Answer what is still running, then tell `cowork mcp serve` to shut down.
    workers_.join();
    session_->detach(stream_token_);
    ::close(fds_.done);
}

void StdioTransport::handle_line(const std::string& line) {
    const Json value = Json::parse(line, nullptr, false);
    if (value.is_discarded()) return write(error(nullptr, kParseError, "parse error: not JSON"));
    Message m = classify(value);
    // initialize runs in line: requests behind it in the pipe must find the
    // session initialized, whichever worker picks them up.
    if (m.kind != Kind::request || m.method == "initialize") {
        if (auto reply = dispatcher_.handle(*session_, m, nullptr)) write(*reply);
        return;
    }
    // Requests run on workers so a slow tool call never delays ping or cancel.
    boost::asio::post(workers_, [this, m = std::move(m)] {
        if (auto reply = dispatcher_.handle(*session_, m, [this](const Json& n) { write(n); })) write(*reply);
    });
}

void StdioTransport::write(const Json& message) {
    const std::string line = dump(message) + "\n";
    std::lock_guard lock(write_mutex_);
    write_all(fds_.out, line);
}

}  // namespace cowork::mcp
