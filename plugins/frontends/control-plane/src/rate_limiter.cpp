#include "rate_limiter.hpp"

namespace cowork::cp {

bool RateLimiter::banned(const std::string& address, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = by_address_.find(address);
    if (it == by_address_.end()) return false;
    if (it->second.banned_until > now) return true;
    if (it->second.failures >= max_) by_address_.erase(it);  // ban served: start afresh
    return false;
}

bool RateLimiter::record_failure(const std::string& address, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (by_address_.size() > 100000) by_address_.clear();  // an address flood must not exhaust memory
    auto& e = by_address_[address];
    if (++e.failures < max_) return false;
    e.banned_until = now + ban_;
    return e.failures == max_;
}

void RateLimiter::record_success(const std::string& address) {
    std::lock_guard lock(mutex_);
    auto it = by_address_.find(address);
    if (it != by_address_.end() && it->second.failures < max_) by_address_.erase(it);
}

}  // namespace cowork::cp
