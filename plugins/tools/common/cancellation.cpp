#include "cowork_tools/cancellation.hpp"

namespace cowork::tools {

CancelRegistry::Guard::Guard(CancelRegistry& owner, std::string id,
                             std::shared_ptr<std::atomic<bool>> flag)
    : owner_(owner), id_(std::move(id)), flag_(std::move(flag)) {}

CancelRegistry::Guard::~Guard() {
    std::lock_guard lock(owner_.mutex_);
    auto [first, last] = owner_.running_.equal_range(id_);
    for (auto it = first; it != last; ++it) {
        if (it->second == flag_) {
            owner_.running_.erase(it);
            break;
        }
    }
}

CancelRegistry::Guard CancelRegistry::begin(const std::string& call_id) {
    auto flag = std::make_shared<std::atomic<bool>>(false);
    {
        std::lock_guard lock(mutex_);
        running_.emplace(call_id, flag);
    }
    return Guard(*this, call_id, flag);
}

bool CancelRegistry::cancel(const std::string& call_id) {
    std::lock_guard lock(mutex_);
    auto [first, last] = running_.equal_range(call_id);
    bool any = false;
    for (auto it = first; it != last; ++it) {
        it->second->store(true);
        any = true;
    }
    return any;
}

}  // namespace cowork::tools
