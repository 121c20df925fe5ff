#include "process/frame.hpp"

#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cowork::kernel::process {
namespace {

enum class IoStatus { Done, Eof, Error };

// Reads exactly `size` bytes; a clean EOF before the first byte is Eof, EOF
// after it is a truncated frame (Error).
IoStatus read_exact(int fd, char* data, size_t size, std::string& detail) {
    size_t got = 0;
    while (got < size) {
        const ssize_t n = ::read(fd, data + got, size - got);
        if (n > 0) {
            got += static_cast<size_t>(n);
            continue;
        }
        if (n == 0) {
            if (got == 0) return IoStatus::Eof;
            detail = "connection closed in the middle of a frame";
            return IoStatus::Error;
        }
        if (errno == EINTR) continue;
        if (errno == ECONNRESET || errno == EPIPE) return got == 0 ? IoStatus::Eof : IoStatus::Error;
        detail = std::string("read failed: ") + std::strerror(errno);
        return IoStatus::Error;
    }
    return IoStatus::Done;
}

bool write_all(int fd, const char* data, size_t size) {
    size_t sent = 0;
    while (sent < size) {
        const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return false;  // EPIPE, ECONNRESET, EAGAIN after SO_SNDTIMEO: the peer is gone or stuck
    }
    return true;
}

}  // namespace

std::string frame_header(uint32_t length) {
    std::string header(4, '\0');
    header[0] = static_cast<char>((length >> 24) & 0xff);
    header[1] = static_cast<char>((length >> 16) & 0xff);
    header[2] = static_cast<char>((length >> 8) & 0xff);
    header[3] = static_cast<char>(length & 0xff);
    return header;
}

FrameRead read_frame(int fd, size_t max_frame) {
    FrameRead result;
    unsigned char header[4];
    switch (read_exact(fd, reinterpret_cast<char*>(header), sizeof header, result.detail)) {
    case IoStatus::Eof: result.kind = FrameRead::Kind::Eof; return result;
    case IoStatus::Error: result.kind = FrameRead::Kind::Error; return result;
    case IoStatus::Done: break;
    }
    const uint32_t length = (uint32_t{header[0]} << 24) | (uint32_t{header[1]} << 16) |
                            (uint32_t{header[2]} << 8) | uint32_t{header[3]};
    if (length == 0 || length > max_frame) {
        result.kind = FrameRead::Kind::Oversize;
        result.detail = length == 0 ? "empty frame"
                                    : "frame of " + std::to_string(length) + " bytes exceeds the " +
                                          std::to_string(max_frame) + "-byte cap";
        return result;
    }
    result.payload.resize(length);
    if (read_exact(fd, result.payload.data(), length, result.detail) != IoStatus::Done) {
        if (result.detail.empty()) result.detail = "connection closed in the middle of a frame";
        result.kind = FrameRead::Kind::Error;
        result.payload.clear();
        return result;
    }
    result.kind = FrameRead::Kind::Frame;
    return result;
}

bool write_frame(int fd, std::string_view payload, size_t max_frame) {
    if (payload.empty() || payload.size() > max_frame) return false;
    // One buffer, one send in the common case: fewer wakeups on the reader.
    std::string buffer = frame_header(static_cast<uint32_t>(payload.size()));
    buffer.append(payload);
    return write_all(fd, buffer.data(), buffer.size());
}

}  // namespace cowork::kernel::process
