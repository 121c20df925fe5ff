// kernel/net/utf8.hpp — keeping streamed text valid UTF-8 across chunks.
//
// A network chunk can end in the middle of a multi-byte character. Chunks go
// to plugins as JSON strings, and JSON output replaces broken UTF-8 with
// U+FFFD, so an LLM reply in Chinese or with emoji would be corrupted at
// every unlucky boundary. Utf8Carry holds back an incomplete tail and
// prepends it to the next chunk.
#pragma once

#include <string>
#include <string_view>

namespace cowork::kernel::net {

// Length of the longest prefix of `s` that does not end inside a character.
size_t complete_utf8_prefix(std::string_view s);

class Utf8Carry {
public:
    // The part of (held tail + chunk) that is safe to emit now.
    std::string feed(std::string_view chunk);
    // Whatever is still held (emitted as is at the end of the body).
    std::string flush();

private:
    std::string tail_;
};

}  // namespace cowork::kernel::net
