// nonce_book.hpp — server-issued challenge nonces: single use, short-lived.
// A captured connect frame is useless because its nonce is consumed by the
// first use and dies after the TTL anyway.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cowork::cp {

class NonceBook {
public:
    using Clock = std::chrono::steady_clock;
    explicit NonceBook(std::chrono::milliseconds ttl) : ttl_(ttl) {}

    void issue(const std::string& nonce, Clock::time_point now = Clock::now());
    enum class Use { ok, unknown, expired };
    // Removes the nonce whatever the outcome: a nonce never verifies twice.
    Use consume(const std::string& nonce, Clock::time_point now = Clock::now());
    size_t size() const;

private:
    void prune(Clock::time_point now);
    std::chrono::milliseconds ttl_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Clock::time_point> issued_;
};

}  // namespace cowork::cp
