#include "net/utf8.hpp"

#include <utility>

namespace cowork::kernel::net {

size_t complete_utf8_prefix(std::string_view s) {
    // Walk back over at most 3 continuation bytes to the lead byte.
    size_t i = s.size();
    size_t back = 0;
    while (i > 0 && back < 4 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80) --i, ++back;
    if (i == 0) return s.size();  // only continuation bytes: not ours to fix
    const unsigned char lead = static_cast<unsigned char>(s[i - 1]);
    const size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (need == 1) return s.size();            // ASCII (or stray byte) ends the text
    return back + 1 >= need ? s.size() : i - 1;  // lead + continuations complete?
}

std::string Utf8Carry::feed(std::string_view chunk) {
    std::string text = std::move(tail_);
    text.append(chunk);
    const size_t keep = complete_utf8_prefix(text);
    tail_ = text.substr(keep);
    text.resize(keep);
    return text;
}

std::string Utf8Carry::flush() { return std::exchange(tail_, {}); }

}  // namespace cowork::kernel::net
