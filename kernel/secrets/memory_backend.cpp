#include "secrets/backend.hpp"

namespace cowork::kernel::secrets {

Status MemoryBackend::put(const SealedSecret& secret) {
    std::lock_guard lock(mutex_);
    rows_[secret.key] = secret;
    return ok_status();
}

Result<std::optional<SealedSecret>> MemoryBackend::get(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto it = rows_.find(key);
    if (it == rows_.end()) return std::optional<SealedSecret>{};
    return std::optional<SealedSecret>{it->second};
}

Status MemoryBackend::remove(const std::string& key) {
    std::lock_guard lock(mutex_);
    rows_.erase(key);
    return ok_status();
}

Result<std::vector<std::string>> MemoryBackend::list() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> names;
    for (const auto& [name, row] : rows_) names.push_back(name);
    return names;
}

SealedSecret* MemoryBackend::raw(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto it = rows_.find(key);
    return it == rows_.end() ? nullptr : &it->second;
}

}  // namespace cowork::kernel::secrets
