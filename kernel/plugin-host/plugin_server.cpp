#include "plugin_server.hpp"

#include "process/interface_slots.hpp"
#include "process/relay.hpp"

namespace cowork::plugin_host {
namespace {

using kernel::process::kRpcInvalidParams;
using kernel::process::kRpcMethodNotFound;
using kernel::process::RpcError;

// The sink lifecycle calls write their error object into.
struct ErrorSink {
    std::string text;
    cowork_sink sink{this, [](void* ctx, const char* d, size_t n) { static_cast<ErrorSink*>(ctx)->text.assign(d, n); },
                     nullptr};
};

Json answer(cowork_status status, std::string out) { return Json{{"status", status}, {"out", std::move(out)}}; }

Json refuse(cowork_status status, const std::string& code, const std::string& message) {
    return answer(status, Json{{"code", code}, {"message", message}}.dump());
}

std::string string_param(const Json& params, const char* key) {
    const auto it = params.find(key);
    if (it == params.end() || !it->is_string()) throw RpcError(kRpcInvalidParams, std::string("missing string '") + key + "'");
    return it->get<std::string>();
}

}  // namespace

PluginServer::PluginServer(std::string plugin_id, LoadedPlugin library)
    : plugin_id_(std::move(plugin_id)), library_(std::move(library)) {}

Json PluginServer::handle_request(const std::string& method, const Json& params, const Endpoint::EventFn& emit) {
    if (method == "iface.call") return call_interface(params, emit);
    if (method == "plugin.get_interface") return get_interface(params);
    if (method == "plugin.create") return create(params);
    if (method == "plugin.destroy") return destroy();
    if (method == "plugin.init" || method == "plugin.on_all_initialized" || method == "plugin.start" ||
        method == "plugin.stop")
        return lifecycle(method.substr(7), params);
    throw RpcError(kRpcMethodNotFound, "no method " + method);
}

void PluginServer::handle_notification(const std::string& method, const Json& params) {
    if (!host_) return;
    if (method == "bus.deliver") host_->deliver_bus(params);
    if (method == "timer.fire") host_->fire_timer(params);
}

const cowork_plugin& PluginServer::plugin() const {
    if (!plugin_) throw RpcError(kRpcInvalidParams, "plugin " + plugin_id_ + " is not created");
    return *plugin_;
}

Json PluginServer::create(const Json& params) {
    if (!library_.entry) return refuse(COWORK_E_FAILED, "plugin.load_failed", library_.error);
    if (plugin_ || host_) return refuse(COWORK_E_INVALID, "plugin.exists", "plugin " + plugin_id_ + " already created");
    const std::string version = string_param(params, "version");
    if (version != library_.entry->version)
        return refuse(COWORK_E_FAILED, "plugin.version_mismatch",
                      "library version " + std::string(library_.entry->version) + " differs from manifest version " + version);
    std::set<std::string> services;
    for (const auto& id : params.value("services", Json::array()))
        if (id.is_string()) services.insert(id.get<std::string>());
    host_ = std::make_unique<HostProxy>(*kernel_, plugin_id_, params.value("data_dir", std::string()), std::move(services));
    ErrorSink err;
    const cowork_plugin* created = nullptr;
    const cowork_status status = library_.entry->create(host_->host(), &created, &err.sink);
    if (status != COWORK_OK) return answer(status, err.text);
    if (!created || created->struct_size < sizeof(cowork_plugin))
        return refuse(COWORK_E_FAILED, "plugin.bad_table", "create returned no usable plugin table");
    plugin_ = created;
    return answer(COWORK_OK, "");
}

Json PluginServer::lifecycle(const std::string& phase, const Json& params) {
    const auto& p = plugin();
    ErrorSink err;
    cowork_status status = COWORK_E_UNSUPPORTED;
    if (phase == "init" && p.init) status = p.init(p.self, &err.sink);
    if (phase == "on_all_initialized" && p.on_all_initialized) status = p.on_all_initialized(p.self, &err.sink);
    if (phase == "start" && p.start) status = p.start(p.self, &err.sink);
    if (phase == "stop" && p.stop) status = p.stop(p.self, params.value("deadline_ms", uint32_t{0}), &err.sink);
    return answer(status, err.text);
}

Json PluginServer::destroy() {
    const auto& p = plugin();
    {
        std::lock_guard lock(interfaces_mutex_);
        interfaces_.clear();
    }
    plugin_ = nullptr;
    if (p.destroy) p.destroy(p.self);
    return answer(COWORK_OK, "");
}

Json PluginServer::get_interface(const Json& params) {
    const auto& p = plugin();
    const std::string id = string_param(params, "iface");
    const void* table = p.get_interface ? p.get_interface(p.self, id.c_str()) : nullptr;
    if (!table) return Json{{"found", false}};
    const auto struct_size = static_cast<const kernel::process::GenericInterfaceTable*>(table)->struct_size;
    size_t count = kernel::process::slots_in(struct_size);
    Json names = Json::array();
    const auto known = kernel::process::known_slot_names(id);
    for (size_t i = 0; i < count; ++i) names.push_back(i < known.size() ? std::string(known[i]) : "slot" + std::to_string(i));
    std::lock_guard lock(interfaces_mutex_);
    interfaces_[id] = table;
    return Json{{"found", true}, {"slots", names}};
}

Json PluginServer::call_interface(const Json& params, const Endpoint::EventFn& emit) {
    const std::string id = string_param(params, "iface");
    const size_t slot = params.value("slot", kernel::process::kMaxSlots);
    const void* table = nullptr;
    {
        std::lock_guard lock(interfaces_mutex_);
        if (const auto it = interfaces_.find(id); it != interfaces_.end()) table = it->second;
    }
    if (!table) return refuse(COWORK_E_NOT_FOUND, "not_found", "interface " + id + " was not requested");
    const auto& generic = *static_cast<const kernel::process::GenericInterfaceTable*>(table);
    if (slot >= kernel::process::slots_in(generic.struct_size) || !generic.slots[slot])
        return refuse(COWORK_E_UNSUPPORTED, "unsupported", id + " has no slot " + std::to_string(slot));
    return kernel::process::serve_json_fn(generic.slots[slot], generic.self, params.value("in", std::string()), emit);
}

}  // namespace cowork::plugin_host
