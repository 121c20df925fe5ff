// plugins/llm/gemini/signature_cache.hpp — Gemini 3 attaches an opaque
// thoughtSignature to function calls and rejects the next turn unless it
// comes back with that call. The canonical format has no field for it, so
// the plugin keeps recent ones by call id (bounded: old entries fall out).
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace cowork::llm_gemini {

class SignatureCache {
public:
    explicit SignatureCache(size_t capacity = 4096) : capacity_(capacity) {}

    void put(const std::string& id, const std::string& signature) {
        std::lock_guard lock(mutex_);
        if (by_id_.emplace(id, signature).second) order_.push_back(id);
        while (order_.size() > capacity_) {
            by_id_.erase(order_.front());
            order_.pop_front();
        }
    }
    std::optional<std::string> get(const std::string& id) const {
        std::lock_guard lock(mutex_);
        auto it = by_id_.find(id);
        if (it == by_id_.end()) return std::nullopt;
        return it->second;
    }

private:
    size_t capacity_;
    mutable std::mutex mutex_;
    std::map<std::string, std::string> by_id_;
    std::deque<std::string> order_;
};

}  // namespace cowork::llm_gemini
