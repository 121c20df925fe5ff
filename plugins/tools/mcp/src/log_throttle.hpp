// log_throttle.hpp — rate-limits a server's stderr lines into our log: at
// most `per_window` lines per window, then one "suppressed N lines" note, so
// a chatty server cannot flood the kernel log. Values that must never be
// logged (configured env values, auth tokens) are masked first.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace cowork::mcp {

class LogThrottle {
public:
    using Sink = std::function<void(const std::string&)>;
    LogThrottle(Sink sink, size_t per_window, std::chrono::milliseconds window, std::vector<std::string> masked);

    void line(const std::string& text);

private:
    std::string mask(std::string text) const;

    Sink sink_;
    size_t per_window_;
    std::chrono::milliseconds window_;
    std::vector<std::string> masked_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point window_start_{};
    size_t in_window_ = 0;
    size_t suppressed_ = 0;
};

}  // namespace cowork::mcp
