#include "secret_cache.hpp"

namespace cowork::hooks {

SecretCache::Lookup SecretCache::get(const std::string& name) {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    if (auto it = entries_.find(name); it != entries_.end() && now - it->second.fetched < ttl_) return it->second.lookup;
    Lookup fresh;
    try {
        std::string v = host_.secret(name);
        if (v.empty()) fresh.problem = "secret " + name + " is empty";
        else fresh.value = std::move(v);
    } catch (const std::exception& e) {
        fresh.problem = e.what();  // the kernel's message names the key, never a value
    }
    entries_[name] = Entry{fresh, now};
    return fresh;
}

}  // namespace cowork::hooks
