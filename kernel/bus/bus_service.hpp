// kernel/bus/bus_service.hpp — the bus as the C service table "cowork.bus/1".
//
// Each plugin gets its own table (ctx names the plugin), so every
// subscription made through it is owned by that plugin: a plugin can only
// unsubscribe its own tokens, and the kernel ends all of a plugin's
// subscriptions with drop_owner() when it stops — after which none of the
// plugin's handlers is running or will run, so its library may go away.
#pragma once

#include "bus/event_bus.hpp"

#include <cowork/abi.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cowork::kernel::bus {

struct BusServiceOptions {
    // Plugins are observers: a slow plugin must not stall kernel publishers.
    QueuePolicy policy = QueuePolicy::DropOldest;
    size_t capacity = 1024;
};

class BusService {
public:
    explicit BusService(EventBus& bus, BusServiceOptions options = {});
    ~BusService();  // ends every subscription made through it
    BusService(const BusService&) = delete;
    BusService& operator=(const BusService&) = delete;

    // [main] The table for `plugin_id`; the pointer stays valid (and the same)
    // for the lifetime of the service.
    const cowork_bus_v1* table_for(const std::string& plugin_id);

    // [main] Ends all subscriptions of `plugin_id`; waits for running handlers.
    void drop_owner(const std::string& plugin_id);

    size_t subscription_count(const std::string& plugin_id) const;

private:
    struct Owner {
        BusService* service;
        std::string plugin_id;
        cowork_bus_v1 table;
    };
    struct Owned {
        std::string plugin_id;
        Subscription subscription;
    };

    static cowork_status c_publish(void* ctx, const char* topic, const char* payload, size_t size);
    static uint64_t c_subscribe(void* ctx, const char* pattern, cowork_bus_handler handler, void* user);
    static void c_unsubscribe(void* ctx, uint64_t token);

    cowork_status publish(const Owner& owner, const char* topic, const char* payload, size_t size);
    uint64_t subscribe(const Owner& owner, const char* pattern, cowork_bus_handler handler, void* user);
    void unsubscribe(const Owner& owner, uint64_t token);

    EventBus& bus_;
    const BusServiceOptions options_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Owner>> owners_;
    std::map<uint64_t, Owned> subscriptions_;  // by token (= bus subscription id)
};

}  // namespace cowork::kernel::bus
