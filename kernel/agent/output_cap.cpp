#include "agent/output_cap.hpp"

namespace cowork::kernel::agent {
namespace {

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string cap_output(const std::string& text, size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    const size_t keep = max_bytes > 128 ? max_bytes - 96 : max_bytes / 2;  // room for the marker
    size_t head = keep * 2 / 3;
    while (head > 0 && continuation(text[head])) --head;
    size_t tail_start = text.size() - (keep - head);
    while (tail_start < text.size() && continuation(text[tail_start])) ++tail_start;
    const size_t omitted = tail_start - head;
    return text.substr(0, head) + "\n[… " + std::to_string(omitted) + " bytes omitted by CoWork …]\n" +
           text.substr(tail_start);
}

}  // namespace cowork::kernel::agent
