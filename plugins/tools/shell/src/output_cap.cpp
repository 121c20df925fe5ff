#include "output_cap.hpp"

#include <algorithm>

namespace cowork::shell {

namespace {

// Cut points can land inside a UTF-8 sequence; skip continuation bytes so the
// kept text starts on a character boundary (at most 3 bytes are lost).
std::size_t utf8_boundary_from(std::string_view s, std::size_t pos) {
    std::size_t limit = std::min(s.size(), pos + 3);
    while (pos < limit && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) ++pos;
    return pos;
}

// Likewise the head must not end in the middle of a sequence.
std::size_t utf8_boundary_before(std::string_view s, std::size_t end) {
    std::size_t pos = end;
    for (int back = 0; back < 3 && pos > 0; ++back) {
        const auto c = static_cast<unsigned char>(s[pos - 1]);
        if ((c & 0xC0) == 0x80) { --pos; continue; }           // continuation: keep looking
        if (c >= 0xC0) {                                        // a lead byte: complete?
            const std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            return (end - (pos - 1) >= need) ? end : pos - 1;
        }
        return end;                                             // ASCII: boundary
    }
    return end;
}

}  // namespace

std::string omission_marker(std::size_t omitted) {
    return "\n… " + std::to_string(omitted) + " bytes omitted …\n";
}

HeadTailBuffer::HeadTailBuffer(std::size_t limit_bytes)
    : head_limit_(limit_bytes / 2), tail_limit_(limit_bytes - limit_bytes / 2) {}

void HeadTailBuffer::append(std::string_view bytes) {
    total_ += bytes.size();
    if (head_.size() < head_limit_) {
        const std::size_t take = std::min(bytes.size(), head_limit_ - head_.size());
        head_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
    }
    if (bytes.empty()) return;
    tail_.append(bytes);
    // Trim lazily (when the window is twice its size) so appends stay O(n).
    if (tail_.size() > 2 * tail_limit_) tail_.erase(0, tail_.size() - tail_limit_);
}

std::string HeadTailBuffer::render() const {
    std::string_view tail = tail_;
    if (tail.size() > tail_limit_) tail.remove_prefix(tail.size() - tail_limit_);
    const std::size_t omitted = total_ - head_.size() - tail.size();
    if (omitted == 0) return head_ + std::string(tail);

    std::string_view head = head_;
    head = head.substr(0, utf8_boundary_before(head, head.size()));
    tail.remove_prefix(utf8_boundary_from(tail, 0));
    const std::size_t shown_omitted = total_ - head.size() - tail.size();
    std::string out;
    out.reserve(head.size() + tail.size() + 48);
    out.append(head).append(omission_marker(shown_omitted)).append(tail);
    return out;
}

}  // namespace cowork::shell
