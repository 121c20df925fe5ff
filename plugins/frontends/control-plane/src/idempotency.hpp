// idempotency.hpp — short-lived dedupe of side-effecting requests.
// Keyed by (caller id, idempotency key): a retry after a lost response gets
// the first outcome back instead of running the method twice.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace cowork::cp {

class IdempotencyCache {
public:
    using Clock = std::chrono::steady_clock;
    IdempotencyCache(std::chrono::seconds ttl, size_t capacity) : ttl_(ttl), capacity_(capacity) {}

    // The stored outcome ({ok, payload|error}) for this key, if still fresh.
    std::optional<nlohmann::json> find(const std::string& caller, const std::string& key,
                                       Clock::time_point now = Clock::now());
    void store(const std::string& caller, const std::string& key, nlohmann::json outcome,
               Clock::time_point now = Clock::now());

private:
    void prune(Clock::time_point now);
    std::chrono::seconds ttl_;
    size_t capacity_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::pair<Clock::time_point, nlohmann::json>> entries_;
    std::deque<std::pair<Clock::time_point, std::string>> order_;
};

}  // namespace cowork::cp
