// send_queue.hpp — the bounded outbound queue of one client.
//
// The kernel never waits for a client. Events are shed once the queue is half
// full (counted, and the client is told how many it missed when it catches
// up). Responses are never shed: the session stops reading requests at half
// full, and a response past 4x the bound (replies already in flight) means the
// client is not reading at all: it is disconnected.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>

namespace cowork::cp {

class SendQueue {
public:
    SendQueue(size_t max_bytes, size_t max_frames) : max_bytes_(max_bytes), max_frames_(max_frames) {}

    enum class Offer { queued, dropped, overflow };
    // droppable: an event (may be shed); otherwise a response (never shed).
    Offer offer(std::string frame, bool droppable);

    bool empty() const { return frames_.empty(); }
    const std::string& front() const { return frames_.front(); }
    // Removes the written front frame. Returns the number of events dropped
    // since the last notice once the queue has drained below a quarter, so
    // the caller can tell the client; otherwise nullopt.
    std::optional<size_t> pop();

    size_t bytes() const { return bytes_; }
    size_t frames() const { return frames_.size(); }
    size_t dropped_total() const { return dropped_total_; }

private:
    size_t max_bytes_, max_frames_;
    std::deque<std::string> frames_;
    size_t bytes_ = 0;
    size_t dropped_pending_ = 0;
    size_t dropped_total_ = 0;
};

}  // namespace cowork::cp
