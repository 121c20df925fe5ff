#include "nonce_book.hpp"

namespace cowork::cp {

void NonceBook::issue(const std::string& nonce, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    prune(now);
    issued_[nonce] = now;
}

NonceBook::Use NonceBook::consume(const std::string& nonce, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = issued_.find(nonce);
    if (it == issued_.end()) return Use::unknown;
    const bool expired = now - it->second > ttl_;
    issued_.erase(it);
    return expired ? Use::expired : Use::ok;
}

size_t NonceBook::size() const {
    std::lock_guard lock(mutex_);
    return issued_.size();
}

void NonceBook::prune(Clock::time_point now) {
    // Bounded memory: expired nonces can never verify, so forget them.
    for (auto it = issued_.begin(); it != issued_.end();)
        it = now - it->second > ttl_ ? issued_.erase(it) : std::next(it);
}

}  // namespace cowork::cp
