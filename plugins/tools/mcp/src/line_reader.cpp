#include "line_reader.hpp"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace cowork::mcp {

LineReader::LineReader(int fd, size_t max_line_bytes, LineFn on_line, OversizedFn on_oversized, EofFn on_eof)
    : fd_(fd), max_line_bytes_(max_line_bytes), on_line_(std::move(on_line)), on_oversized_(std::move(on_oversized)),
      on_eof_(std::move(on_eof)) {
    if (::pipe2(wake_, O_CLOEXEC) != 0) wake_[0] = wake_[1] = -1;
    thread_ = std::thread([this] { run(); });
}

LineReader::~LineReader() {
    stop();
    for (int fd : wake_)
        if (fd >= 0) ::close(fd);
}

void LineReader::stop() {
    if (wake_[1] >= 0) {
        const char c = 'x';
        (void)!::write(wake_[1], &c, 1);
    }
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void LineReader::run() {
    std::string line;
    bool dropping = false;
    size_t dropped = 0;
    char buf[65536];
    for (;;) {
        pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
        if (::poll(fds, wake_[0] >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (wake_[0] >= 0 && (fds[1].revents & POLLIN)) return;  // stopped: no EOF callback
        const ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; ++i) {
            const char c = buf[i];
            if (c == '\n') {
                if (dropping) {
                    if (on_oversized_) on_oversized_(dropped);
                } else {
                    if (!line.empty() && line.back() == '\r') line.pop_back();
                    if (!line.empty()) on_line_(std::move(line));
                }
                line.clear();
                dropping = false;
                dropped = 0;
            } else if (dropping) {
                ++dropped;
            } else if (line.size() >= max_line_bytes_) {
                dropping = true;
                dropped = line.size() + 1;
                std::string().swap(line);
            } else {
                line.push_back(c);
            }
        }
    }
    if (!line.empty() && !dropping) on_line_(std::move(line));
    if (on_eof_) on_eof_();
}

}  // namespace cowork::mcp
