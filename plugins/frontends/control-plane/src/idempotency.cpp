#include "idempotency.hpp"

namespace cowork::cp {

std::optional<nlohmann::json> IdempotencyCache::find(const std::string& caller, const std::string& key,
                                                     Clock::time_point now) {
    std::lock_guard lock(mutex_);
    prune(now);
    auto it = entries_.find(caller + '\n' + key);
    if (it == entries_.end()) return std::nullopt;
    return it->second.second;
}

void IdempotencyCache::store(const std::string& caller, const std::string& key, nlohmann::json outcome,
                             Clock::time_point now) {
    std::lock_guard lock(mutex_);
    prune(now);
    const std::string k = caller + '\n' + key;
    entries_[k] = {now, std::move(outcome)};
    order_.emplace_back(now, k);
    while (entries_.size() > capacity_ && !order_.empty()) {
        entries_.erase(order_.front().second);
        order_.pop_front();
    }
}

void IdempotencyCache::prune(Clock::time_point now) {
    while (!order_.empty() && now - order_.front().first > ttl_) {
        auto it = entries_.find(order_.front().second);
        if (it != entries_.end() && it->second.first == order_.front().first) entries_.erase(it);
        order_.pop_front();
    }
}

}  // namespace cowork::cp
