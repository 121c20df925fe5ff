#include "process/host_relay.hpp"

#include "core/log.hpp"
#include "process/relay.hpp"

#include <array>
#include <cstddef>
#include <cstring>

namespace cowork::kernel::process {
namespace {

constexpr std::array<const char*, 9> kServices = {COWORK_SERVICE_LOG,     COWORK_SERVICE_BUS,    COWORK_SERVICE_STORAGE,
                                                  COWORK_SERVICE_SECRETS, COWORK_SERVICE_CONFIG, COWORK_SERVICE_SCHEDULER,
                                                  COWORK_SERVICE_API,     COWORK_SERVICE_POLICY, COWORK_SERVICE_HTTP};

Json unsupported(const std::string& what) {
    return Json{{"status", COWORK_E_UNSUPPORTED},
                {"out", Json{{"code", "unsupported"}, {"message", "the kernel offers no " + what}}.dump()}};
}

uint64_t id_param(const Json& params) {
    const auto it = params.find("id");
    if (it == params.end() || !it->is_number_unsigned() || it->get<uint64_t>() == 0)
        throw RpcError(kRpcInvalidParams, "missing callback id");
    return it->get<uint64_t>();
}

spdlog::level::level_enum spd_level(int level) {
    switch (level) {
    case COWORK_LOG_TRACE: return spdlog::level::trace;
    case COWORK_LOG_DEBUG: return spdlog::level::debug;
    case COWORK_LOG_INFO: return spdlog::level::info;
    case COWORK_LOG_WARN: return spdlog::level::warn;
    default: return spdlog::level::err;
    }
}

}  // namespace

HostRelay::HostRelay(const cowork_host* host, std::string plugin_id) : host_(host), plugin_id_(std::move(plugin_id)) {}

template <class Table>
const Table* HostRelay::service(const char* id) const {
    if (!host_ || !host_->get_service) return nullptr;
    const auto* table = static_cast<const Table*>(host_->get_service(host_->ctx, id));
    return table && table->struct_size >= sizeof(Table) ? table : nullptr;
}

std::vector<std::string> HostRelay::available_services() const {
    std::vector<std::string> ids;
    for (const char* id : kServices)
        if (host_ && host_->get_service && host_->get_service(host_->ctx, id)) ids.emplace_back(id);
    return ids;
}

Json HostRelay::handle_request(const std::string& method, const Json& params, const Endpoint::EventFn& emit) {
    if (method == "host.bus.publish") return publish(params);
    if (method == "host.bus.subscribe") return subscribe(params);
    if (method == "host.bus.unsubscribe") return unsubscribe(params);
    if (method == "host.scheduler.add_timer") return add_timer(params);
    if (method == "host.scheduler.cancel") return cancel_timer(params);
    // The JSON-shaped slots, located by their offset in the service table.
    if (method == "host.storage.migrate") return serve_json(COWORK_SERVICE_STORAGE, offsetof(cowork_storage_v1, migrate), params, emit);
    if (method == "host.storage.exec") return serve_json(COWORK_SERVICE_STORAGE, offsetof(cowork_storage_v1, exec), params, emit);
    if (method == "host.secrets.get") return serve_json(COWORK_SERVICE_SECRETS, offsetof(cowork_secrets_v1, get), params, emit);
    if (method == "host.secrets.put") return serve_json(COWORK_SERVICE_SECRETS, offsetof(cowork_secrets_v1, put), params, emit);
    if (method == "host.config.get") return serve_json(COWORK_SERVICE_CONFIG, offsetof(cowork_config_v1, get), params, emit);
    if (method == "host.api.call") return serve_json(COWORK_SERVICE_API, offsetof(cowork_api_v1, call), params, emit);
    if (method == "host.policy.check") return serve_json(COWORK_SERVICE_POLICY, offsetof(cowork_policy_v1, check), params, emit);
    // Body chunks of a streamed request ride back as `event` notifications of
    // this call; a cancel arrives as its own request on another worker.
    if (method == "host.http.request") return serve_json(COWORK_SERVICE_HTTP, offsetof(cowork_http_v1, request), params, emit);
    if (method == "host.http.cancel") return serve_json(COWORK_SERVICE_HTTP, offsetof(cowork_http_v1, cancel), params, emit);
    throw RpcError(kRpcMethodNotFound, "no host method " + method);
}

void HostRelay::handle_notification(const std::string& method, const Json& params) {
    if (method != "host.log") return;
    const std::string message = params.value("message", std::string());
    const int level = params.value("level", COWORK_LOG_INFO);
    if (const auto* log = service<cowork_log_v1>(COWORK_SERVICE_LOG))
        log->log(log->ctx, level, message.data(), message.size());
    else
        kernel::logger(plugin_id_)->log(spd_level(level), "{}", message);
}

// Every JSON service table is {struct_size, ctx, cowork_json_fn…}; the slot
// is read at its offset after checking the table is big enough for it.
Json HostRelay::serve_json(const char* service_id, size_t slot_offset, const Json& params, const Endpoint::EventFn& emit) {
    if (!host_ || !host_->get_service) return unsupported(service_id);
    const auto* table = static_cast<const unsigned char*>(host_->get_service(host_->ctx, service_id));
    if (!table) return unsupported(service_id);
    uint32_t struct_size = 0;
    std::memcpy(&struct_size, table, sizeof struct_size);
    if (struct_size < slot_offset + sizeof(cowork_json_fn)) return unsupported(service_id);
    void* ctx = nullptr;
    cowork_json_fn fn = nullptr;
    std::memcpy(&ctx, table + offsetof(cowork_config_v1, ctx), sizeof ctx);
    std::memcpy(&fn, table + slot_offset, sizeof fn);
    if (!fn) return unsupported(service_id);
    return serve_json_fn(fn, ctx, params.value("in", std::string()), emit);
}

Json HostRelay::publish(const Json& params) {
    const auto* bus = service<cowork_bus_v1>(COWORK_SERVICE_BUS);
    if (!bus) return Json{{"status", COWORK_E_UNSUPPORTED}};
    const std::string topic = params.value("topic", std::string());
    const std::string payload = params.value("payload", std::string());
    return Json{{"status", bus->publish(bus->ctx, topic.c_str(), payload.data(), payload.size())}};
}

HostRelay::Callback* HostRelay::remember(std::map<uint64_t, std::unique_ptr<Callback>>& records, uint64_t child_id) {
    std::lock_guard lock(mutex_);
    if (released_ || records.count(child_id)) return nullptr;
    auto& record = records[child_id];
    record = std::make_unique<Callback>(Callback{this, child_id});
    return record.get();
}

Json HostRelay::subscribe(const Json& params) {
    const uint64_t child_id = id_param(params);
    const auto* bus = service<cowork_bus_v1>(COWORK_SERVICE_BUS);
    Callback* record = bus ? remember(subscriptions_, child_id) : nullptr;
    if (!record) return Json{{"ok", false}};
    const std::string pattern = params.value("pattern", std::string());
    record->token = bus->subscribe(
        bus->ctx, pattern.c_str(),
        [](void* user, const char* topic, const char* payload, size_t size) {
            auto* cb = static_cast<Callback*>(user);
            cb->relay->push("bus.deliver", Json{{"id", cb->child_id},
                                                {"topic", topic ? topic : ""},
                                                {"payload", std::string(payload ? payload : "", payload ? size : 0)}});
        },
        record);
    if (record->token == 0) {
        std::lock_guard lock(mutex_);
        retired_.push_back(std::move(subscriptions_[child_id]));
        subscriptions_.erase(child_id);
        return Json{{"ok", false}};
    }
    if (released_after_registering()) bus->unsubscribe(bus->ctx, record->token);
    return Json{{"ok", true}};
}

Json HostRelay::add_timer(const Json& params) {
    const uint64_t child_id = id_param(params);
    const auto* scheduler = service<cowork_scheduler_v1>(COWORK_SERVICE_SCHEDULER);
    Callback* record = scheduler ? remember(timers_, child_id) : nullptr;
    if (!record) return Json{{"ok", false}};
    record->token = scheduler->add_timer(
        scheduler->ctx, params.value("delay_ms", uint64_t{0}), params.value("period_ms", uint64_t{0}),
        [](void* user) {
            auto* cb = static_cast<Callback*>(user);
            cb->relay->push("timer.fire", Json{{"id", cb->child_id}});
        },
        record);
    if (record->token == 0) {
        std::lock_guard lock(mutex_);
        retired_.push_back(std::move(timers_[child_id]));
        timers_.erase(child_id);
        return Json{{"ok", false}};
    }
    if (released_after_registering()) scheduler->cancel(scheduler->ctx, record->token);
    return Json{{"ok", true}};
}

// A release() that ran while we were registering saw no token: undo it here.
bool HostRelay::released_after_registering() {
    std::lock_guard lock(mutex_);
    return released_;
}

Json HostRelay::unsubscribe(const Json& params) {
    const uint64_t child_id = id_param(params);
    uint64_t token = 0;
    {
        std::lock_guard lock(mutex_);
        const auto it = subscriptions_.find(child_id);
        if (it == subscriptions_.end()) return Json::object();
        token = it->second->token;
        retired_.push_back(std::move(it->second));
        subscriptions_.erase(it);
    }
    if (const auto* bus = service<cowork_bus_v1>(COWORK_SERVICE_BUS)) bus->unsubscribe(bus->ctx, token);
    return Json::object();
}

Json HostRelay::cancel_timer(const Json& params) {
    const uint64_t child_id = id_param(params);
    uint64_t token = 0;
    {
        std::lock_guard lock(mutex_);
        const auto it = timers_.find(child_id);
        if (it == timers_.end()) return Json::object();
        token = it->second->token;
        retired_.push_back(std::move(it->second));
        timers_.erase(it);
    }
    if (const auto* scheduler = service<cowork_scheduler_v1>(COWORK_SERVICE_SCHEDULER))
        scheduler->cancel(scheduler->ctx, token);
    return Json::object();
}

void HostRelay::push(const char* method, Json params) {
    std::lock_guard lock(mutex_);
    if (released_ || !child_) return;
    child_->notify(method, std::move(params));
}

void HostRelay::release() {
    std::vector<uint64_t> bus_tokens, timer_tokens;
    {
        std::lock_guard lock(mutex_);
        if (released_) return;
        released_ = true;
        for (auto& [id, cb] : subscriptions_) bus_tokens.push_back(cb->token);
        for (auto& [id, cb] : timers_) timer_tokens.push_back(cb->token);
    }
    if (const auto* bus = service<cowork_bus_v1>(COWORK_SERVICE_BUS))
        for (uint64_t token : bus_tokens)
            if (token) bus->unsubscribe(bus->ctx, token);
    if (const auto* scheduler = service<cowork_scheduler_v1>(COWORK_SERVICE_SCHEDULER))
        for (uint64_t token : timer_tokens)
            if (token) scheduler->cancel(scheduler->ctx, token);
}

}  // namespace cowork::kernel::process
