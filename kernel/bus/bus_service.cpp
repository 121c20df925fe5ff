// kernel/bus/bus_service.cpp
#include "bus/bus_service.hpp"

#include "core/log.hpp"

#include <vector>

namespace cowork::kernel::bus {
namespace {

cowork_status status_for(const Error& error) {
    if (error.code == "bus.publish_timeout") return COWORK_E_TIMEOUT;
    if (error.code == "bus.would_deadlock") return COWORK_E_FAILED;
    return COWORK_E_INVALID;
}

}  // namespace

BusService::BusService(EventBus& bus, BusServiceOptions options) : bus_(bus), options_(options) {}

BusService::~BusService() {
    std::map<uint64_t, Owned> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(subscriptions_);
    }
    // `all` is destroyed here, outside the lock: each Subscription waits for its handler.
}

const cowork_bus_v1* BusService::table_for(const std::string& plugin_id) {
    std::lock_guard lock(mutex_);
    auto& owner = owners_[plugin_id];
    if (!owner) {
        owner = std::make_unique<Owner>();
        owner->service = this;
        owner->plugin_id = plugin_id;
        owner->table = cowork_bus_v1{sizeof(cowork_bus_v1), owner.get(), &BusService::c_publish,
                                     &BusService::c_subscribe, &BusService::c_unsubscribe};
    }
    return &owner->table;
}

void BusService::drop_owner(const std::string& plugin_id) {
    std::vector<Subscription> ending;
    {
        std::lock_guard lock(mutex_);
        for (auto it = subscriptions_.begin(); it != subscriptions_.end();) {
            if (it->second.plugin_id == plugin_id) {
                ending.push_back(std::move(it->second.subscription));
                it = subscriptions_.erase(it);
            } else {
                ++it;
            }
        }
    }
    ending.clear();  // outside the lock: handlers may call back into the service
}

size_t BusService::subscription_count(const std::string& plugin_id) const {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const auto& [token, owned] : subscriptions_) n += owned.plugin_id == plugin_id;
    return n;
}

cowork_status BusService::publish(const Owner& owner, const char* topic, const char* payload, size_t size) {
    if (topic == nullptr || (payload == nullptr && size > 0)) return COWORK_E_INVALID;
    auto st = bus_.publish(topic, std::string(payload == nullptr ? "" : payload, size));
    if (st) return COWORK_OK;
    logger()->debug("bus: publish by {} refused: {}", owner.plugin_id, st.error().message);
    return status_for(st.error());
}

uint64_t BusService::subscribe(const Owner& owner, const char* pattern, cowork_bus_handler handler, void* user) {
    if (pattern == nullptr || handler == nullptr) return 0;
    auto deliver = [handler, user](const Event& event) {
        std::string text = event.payload_text();
        handler(user, event.topic.c_str(), text.data(), text.size());
    };
    // Held across bus_.subscribe so a concurrent drop_owner cannot miss it.
    std::lock_guard lock(mutex_);
    auto sub = bus_.subscribe(pattern, std::move(deliver),
                              SubscribeOptions{options_.policy, options_.capacity, owner.plugin_id});
    if (!sub) {
        logger()->warn("bus: subscribe by {} refused: {}", owner.plugin_id, sub.error().message);
        return 0;
    }
    uint64_t token = sub->id();
    subscriptions_.emplace(token, Owned{owner.plugin_id, std::move(sub.value())});
    return token;
}

void BusService::unsubscribe(const Owner& owner, uint64_t token) {
    Subscription ending;
    {
        std::lock_guard lock(mutex_);
        auto it = subscriptions_.find(token);
        if (it == subscriptions_.end() || it->second.plugin_id != owner.plugin_id) return;  // not theirs
        ending = std::move(it->second.subscription);
        subscriptions_.erase(it);
    }
    // `ending` unsubscribes here, outside the lock (safe from inside the handler too).
}

// The C entry points: a barrier no exception crosses.
cowork_status BusService::c_publish(void* ctx, const char* topic, const char* payload, size_t size) {
    try {
        auto* owner = static_cast<Owner*>(ctx);
        return owner->service->publish(*owner, topic, payload, size);
    } catch (...) {
        return COWORK_E_INTERNAL;
    }
}

uint64_t BusService::c_subscribe(void* ctx, const char* pattern, cowork_bus_handler handler, void* user) {
    try {
        auto* owner = static_cast<Owner*>(ctx);
        return owner->service->subscribe(*owner, pattern, handler, user);
    } catch (...) {
        return 0;
    }
}

void BusService::c_unsubscribe(void* ctx, uint64_t token) {
    try {
        auto* owner = static_cast<Owner*>(ctx);
        owner->service->unsubscribe(*owner, token);
    } catch (...) {
        logger()->error("bus: unsubscribe threw");
    }
}

}  // namespace cowork::kernel::bus
