#include "log_throttle.hpp"

namespace cowork::mcp {

LogThrottle::LogThrottle(Sink sink, size_t per_window, std::chrono::milliseconds window, std::vector<std::string> masked)
    : sink_(std::move(sink)), per_window_(per_window), window_(window) {
    // Very short values would mask ordinary words; they are not secrets worth the noise.
    for (auto& m : masked)
        if (m.size() >= 6) masked_.push_back(std::move(m));
}

std::string LogThrottle::mask(std::string text) const {
    for (const auto& secret : masked_)
        for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
            text.replace(at, secret.size(), "***");
    return text;
}

void LogThrottle::line(const std::string& text) {
    std::string note;
    {
        std::lock_guard lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (now - window_start_ >= window_) {
            if (suppressed_ > 0) note = "(suppressed " + std::to_string(suppressed_) + " stderr lines)";
            window_start_ = now;
            in_window_ = 0;
            suppressed_ = 0;
        }
        if (in_window_ >= per_window_) {
            ++suppressed_;
            if (note.empty()) return;
        } else {
            ++in_window_;
        }
    }
    if (!note.empty()) sink_(note);
    sink_(mask(text.size() > 2000 ? text.substr(0, 2000) + "…" : text));
}

}  // namespace cowork::mcp
