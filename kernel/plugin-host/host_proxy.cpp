#include "host_proxy.hpp"

#include "process/relay.hpp"

#include <array>
#include <cstring>

namespace cowork::plugin_host {
namespace {

// The JSON-shaped host service slots, by index; the method names are the wire
// names (PROTOCOL.md).
constexpr std::array<const char*, 9> kJsonMethods = {"host.storage.migrate", "host.storage.exec",
                                                     "host.secrets.get",     "host.config.get",
                                                     "host.api.call",        "host.policy.check",
                                                     "host.http.request",    "host.http.cancel",
                                                     "host.secrets.put"};
enum : size_t { kMigrate, kExec, kSecretsGet, kConfigGet, kApiCall, kPolicyCheck, kHttpRequest, kHttpCancel, kSecretsPut };

HostProxy& self_of(void* ctx) { return *static_cast<HostProxy*>(ctx); }

}  // namespace

HostProxy::HostProxy(Endpoint& kernel, std::string plugin_id, std::string data_dir, std::set<std::string> services)
    : kernel_(kernel), plugin_id_(std::move(plugin_id)), data_dir_(std::move(data_dir)), services_(std::move(services)) {
    host_ = {sizeof(cowork_host), COWORK_ABI_MAJOR, COWORK_ABI_MINOR, this, plugin_id_.c_str(), data_dir_.c_str(),
             &HostProxy::get_service};
    log_ = {sizeof log_, this, &HostProxy::log};
    bus_ = {sizeof bus_, this, &HostProxy::publish, &HostProxy::subscribe, &HostProxy::unsubscribe};
    storage_ = {sizeof storage_, this, &json_slot<kMigrate>, &json_slot<kExec>};
    secrets_ = {sizeof secrets_, this, &json_slot<kSecretsGet>, &json_slot<kSecretsPut>};
    config_ = {sizeof config_, this, &json_slot<kConfigGet>};
    scheduler_ = {sizeof scheduler_, this, &HostProxy::add_timer, &HostProxy::cancel_timer};
    api_ = {sizeof api_, this, &json_slot<kApiCall>};
    policy_ = {sizeof policy_, this, &json_slot<kPolicyCheck>};
    http_ = {sizeof http_, this, &json_slot<kHttpRequest>, &json_slot<kHttpCancel>};
}

const void* HostProxy::get_service(void* ctx, const char* id) {
    auto& self = self_of(ctx);
    if (!id || !self.services_.count(id)) return nullptr;
    const std::string_view name(id);
    if (name == COWORK_SERVICE_LOG) return &self.log_;
    if (name == COWORK_SERVICE_BUS) return &self.bus_;
    if (name == COWORK_SERVICE_STORAGE) return &self.storage_;
    if (name == COWORK_SERVICE_SECRETS) return &self.secrets_;
    if (name == COWORK_SERVICE_CONFIG) return &self.config_;
    if (name == COWORK_SERVICE_SCHEDULER) return &self.scheduler_;
    if (name == COWORK_SERVICE_API) return &self.api_;
    if (name == COWORK_SERVICE_POLICY) return &self.policy_;
    if (name == COWORK_SERVICE_HTTP) return &self.http_;
    return nullptr;
}

template <size_t Method>
cowork_status HostProxy::json_slot(void* ctx, const char* in, size_t size, const cowork_sink* out) {
    // No timeout: the kernel owns the clock; if it goes away the call fails.
    return kernel::process::relay_json_call(self_of(ctx).kernel_, kJsonMethods[Method], Json::object(), in, size, out,
                                            std::nullopt);
}

void HostProxy::log(void* ctx, int32_t level, const char* msg, size_t size) {
    self_of(ctx).kernel_.notify("host.log", Json{{"level", level}, {"message", std::string(msg ? msg : "", msg ? size : 0)}});
}

cowork_status HostProxy::publish(void* ctx, const char* topic, const char* payload, size_t size) {
    const auto reply = self_of(ctx).kernel_.call(
        "host.bus.publish", Json{{"topic", topic ? topic : ""}, {"payload", std::string(payload ? payload : "", payload ? size : 0)}});
    if (!reply.ok()) return reply.status;
    return reply.result.value("status", COWORK_E_INTERNAL);
}

uint64_t HostProxy::subscribe(void* ctx, const char* pattern, cowork_bus_handler handler, void* user) {
    auto& self = self_of(ctx);
    if (!pattern || !handler) return 0;
    const uint64_t id = self.next_id_++;
    {
        std::lock_guard lock(self.mutex_);
        self.subscriptions_[id] = {handler, user};
    }
    const auto reply = self.kernel_.call("host.bus.subscribe", Json{{"id", id}, {"pattern", pattern}});
    if (reply.ok() && reply.result.value("ok", false)) return id;
    std::lock_guard lock(self.mutex_);
    self.subscriptions_.erase(id);
    return 0;
}

void HostProxy::unsubscribe(void* ctx, uint64_t token) {
    auto& self = self_of(ctx);
    {
        std::lock_guard lock(self.mutex_);
        if (!self.subscriptions_.erase(token)) return;
    }
    { std::lock_guard wait_for_delivery(self.delivery_mutex_); }
    (void)self.kernel_.call("host.bus.unsubscribe", Json{{"id", token}});
}

uint64_t HostProxy::add_timer(void* ctx, uint64_t delay_ms, uint64_t period_ms, cowork_timer_fn fn, void* user) {
    auto& self = self_of(ctx);
    if (!fn) return 0;
    const uint64_t id = self.next_id_++;
    {
        std::lock_guard lock(self.mutex_);
        self.timers_[id] = {fn, user};
    }
    const auto reply = self.kernel_.call("host.scheduler.add_timer",
                                         Json{{"id", id}, {"delay_ms", delay_ms}, {"period_ms", period_ms}});
    if (reply.ok() && reply.result.value("ok", false)) return id;
    std::lock_guard lock(self.mutex_);
    self.timers_.erase(id);
    return 0;
}

void HostProxy::cancel_timer(void* ctx, uint64_t token) {
    auto& self = self_of(ctx);
    {
        std::lock_guard lock(self.mutex_);
        if (!self.timers_.erase(token)) return;
    }
    { std::lock_guard wait_for_delivery(self.delivery_mutex_); }
    (void)self.kernel_.call("host.scheduler.cancel", Json{{"id", token}});
}

void HostProxy::deliver_bus(const Json& params) {
    std::lock_guard delivering(delivery_mutex_);
    BusHandler handler{};
    {
        std::lock_guard lock(mutex_);
        const auto it = subscriptions_.find(params.value("id", uint64_t{0}));
        if (it == subscriptions_.end()) return;  // unsubscribed meanwhile
        handler = it->second;
    }
    const std::string topic = params.value("topic", std::string());
    const std::string payload = params.value("payload", std::string());
    handler.fn(handler.user, topic.c_str(), payload.data(), payload.size());
}

void HostProxy::fire_timer(const Json& params) {
    std::lock_guard delivering(delivery_mutex_);
    TimerHandler timer{};
    {
        std::lock_guard lock(mutex_);
        const auto it = timers_.find(params.value("id", uint64_t{0}));
        if (it == timers_.end()) return;  // cancelled meanwhile
        timer = it->second;
    }
    timer.fn(timer.user);
}

}  // namespace cowork::plugin_host
