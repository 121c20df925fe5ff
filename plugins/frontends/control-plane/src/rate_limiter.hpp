// rate_limiter.hpp — N failed authentications from one address → a ban.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cowork::cp {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;
    RateLimiter(int max_failures, std::chrono::seconds ban) : max_(max_failures), ban_(ban) {}

    bool banned(const std::string& address, Clock::time_point now = Clock::now());
    // Returns true when this failure starts a ban.
    bool record_failure(const std::string& address, Clock::time_point now = Clock::now());
    void record_success(const std::string& address);

private:
    struct Entry {
        int failures = 0;
        Clock::time_point banned_until{};
    };
    int max_;
    std::chrono::seconds ban_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> by_address_;
};

}  // namespace cowork::cp
