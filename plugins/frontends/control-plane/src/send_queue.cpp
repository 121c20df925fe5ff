#include "send_queue.hpp"

namespace cowork::cp {

SendQueue::Offer SendQueue::offer(std::string frame, bool droppable) {
    const size_t after_bytes = bytes_ + frame.size();
    const size_t after_frames = frames_.size() + 1;
    if (droppable && (after_bytes > max_bytes_ / 2 || after_frames > max_frames_ / 2)) {
        ++dropped_pending_;
        ++dropped_total_;
        return Offer::dropped;
    }
    // Responses get head-room: the session stops reading requests at half,
    // so only replies already in flight land here. Past 4x, memory wins.
    if (after_bytes > 4 * max_bytes_ || after_frames > 4 * max_frames_) return Offer::overflow;
    bytes_ = after_bytes;
    frames_.push_back(std::move(frame));
    return Offer::queued;
}

std::optional<size_t> SendQueue::pop() {
    bytes_ -= frames_.front().size();
    frames_.pop_front();
    if (dropped_pending_ == 0 || bytes_ > max_bytes_ / 4 || frames_.size() > max_frames_ / 4) return std::nullopt;
    const size_t n = dropped_pending_;
    dropped_pending_ = 0;
    return n;
}

}  // namespace cowork::cp
