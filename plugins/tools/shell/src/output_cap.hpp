// output_cap.hpp — keeps a command's output under a byte budget.
//
// A runaway command can print gigabytes; the model needs the start (what
// ran) and the end (the error, the summary) far more than the middle. So we
// keep the first half of the budget verbatim and a rolling window of the
// last half, and count what fell in between.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cowork::shell {

class HeadTailBuffer {
public:
    explicit HeadTailBuffer(std::size_t limit_bytes);

    void append(std::string_view bytes);

    std::size_t total_bytes() const noexcept { return total_; }
    std::size_t omitted_bytes() const noexcept {
        return total_ - head_.size() - (tail_.size() < tail_limit_ ? tail_.size() : tail_limit_);
    }
    bool truncated() const noexcept { return omitted_bytes() > 0; }

    // Head, then "… N bytes omitted …" when something was dropped, then tail.
    std::string render() const;

private:
    std::size_t head_limit_;
    std::size_t tail_limit_;
    std::size_t total_ = 0;
    std::string head_;
    std::string tail_;  // the most recent bytes, at most tail_limit_ once trimmed
};

// The marker put where bytes were dropped.
std::string omission_marker(std::size_t omitted);

}  // namespace cowork::shell
