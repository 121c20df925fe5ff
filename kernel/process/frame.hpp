// kernel/process/frame.hpp — length-prefixed frames on a stream socket.
//
// A frame is a 4-byte big-endian payload length followed by that many bytes
// of UTF-8 JSON. A peer that announces more than the cap, or an empty frame,
// is broken: the reader reports it as a connection failure instead of
// allocating whatever a corrupt header asks for.
//
// Used by both the kernel and cowork-plugin-host, so it depends on nothing
// but the standard library and POSIX.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cowork::kernel::process {

inline constexpr size_t kDefaultMaxFrame = 16u * 1024u * 1024u;  // 16 MiB

// What reading one frame produced.
struct FrameRead {
    enum class Kind { Frame, Eof, Oversize, Error } kind = Kind::Error;
    std::string payload;  // Frame: the bytes
    std::string detail;   // Oversize/Error: why, for the log and pending callers
};

// [any-thread, one reader per fd] Blocks until a whole frame, EOF or an error.
FrameRead read_frame(int fd, size_t max_frame = kDefaultMaxFrame);

// [any-thread; callers serialise writes per fd] Writes one whole frame. Returns
// false if the peer is gone or the payload exceeds the cap. Never raises
// SIGPIPE (MSG_NOSIGNAL).
bool write_frame(int fd, std::string_view payload, size_t max_frame = kDefaultMaxFrame);

// The 4-byte header for a payload length (exposed for tests that forge frames).
std::string frame_header(uint32_t length);

}  // namespace cowork::kernel::process
