// kernel/scheduler/scheduler_service.cpp
#include "scheduler/scheduler_service.hpp"

#include "core/log.hpp"

#include <vector>

namespace cowork::kernel::scheduler {
namespace {
// Keeps absurd delays from overflowing chrono arithmetic (~292 years).
constexpr uint64_t kMaxMs = uint64_t{1} << 52;
}  // namespace

SchedulerService::SchedulerService(TimerService& timers) : timers_(timers) {}

SchedulerService::~SchedulerService() {
    std::map<TimerId, std::string> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(owner_of_);
    }
    for (const auto& [token, owner] : all) timers_.cancel(token);
}

const cowork_scheduler_v1* SchedulerService::table_for(const std::string& plugin_id) {
    std::lock_guard lock(mutex_);
    auto& owner = owners_[plugin_id];
    if (!owner) {
        owner = std::make_unique<Owner>();
        owner->service = this;
        owner->plugin_id = plugin_id;
        owner->table = cowork_scheduler_v1{sizeof(cowork_scheduler_v1), owner.get(), &SchedulerService::c_add_timer,
                                           &SchedulerService::c_cancel};
    }
    return &owner->table;
}

void SchedulerService::drop_owner(const std::string& plugin_id) {
    std::vector<TimerId> ending;
    {
        std::lock_guard lock(mutex_);
        for (auto it = owner_of_.begin(); it != owner_of_.end();) {
            if (it->second == plugin_id) {
                ending.push_back(it->first);
                it = owner_of_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (TimerId token : ending) timers_.cancel(token);  // outside the lock: may wait
}

size_t SchedulerService::timer_count(const std::string& plugin_id) const {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const auto& [token, owner] : owner_of_) n += owner == plugin_id && timers_.active(token);
    return n;
}

uint64_t SchedulerService::add_timer(const Owner& owner, uint64_t delay_ms, uint64_t period_ms, cowork_timer_fn fn,
                                     void* user) {
    if (fn == nullptr) return 0;
    std::lock_guard lock(mutex_);  // held so a concurrent drop_owner cannot miss the new token
    // Forget tokens of one-shots that already fired, so the map stays small.
    std::erase_if(owner_of_, [&](const auto& entry) { return !timers_.active(entry.first); });
    TimerId token = timers_.add(std::chrono::milliseconds(std::min(delay_ms, kMaxMs)),
                                std::chrono::milliseconds(std::min(period_ms, kMaxMs)), [fn, user] { fn(user); });
    owner_of_.emplace(token, owner.plugin_id);
    return token;
}

void SchedulerService::cancel(const Owner& owner, uint64_t token) {
    {
        std::lock_guard lock(mutex_);
        auto it = owner_of_.find(token);
        if (it == owner_of_.end() || it->second != owner.plugin_id) return;  // not theirs
        owner_of_.erase(it);
    }
    timers_.cancel(token);
}

// The C entry points: a barrier no exception crosses.
uint64_t SchedulerService::c_add_timer(void* ctx, uint64_t delay_ms, uint64_t period_ms, cowork_timer_fn fn,
                                       void* user) {
    try {
        auto* owner = static_cast<Owner*>(ctx);
        return owner->service->add_timer(*owner, delay_ms, period_ms, fn, user);
    } catch (...) {
        return 0;
    }
}

void SchedulerService::c_cancel(void* ctx, uint64_t token) {
    try {
        auto* owner = static_cast<Owner*>(ctx);
        owner->service->cancel(*owner, token);
    } catch (...) {
        logger()->error("scheduler: cancel threw");
    }
}

}  // namespace cowork::kernel::scheduler
