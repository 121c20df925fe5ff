#include "process/process_instance.hpp"

#include "core/log.hpp"
#include "process/relay.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <utility>

namespace cowork::kernel::process {

// The proxy cowork_plugin: each function relays one lifecycle method.
struct PluginTableProxy {
    static ProcessInstance& of(void* self) { return *static_cast<ProcessInstance*>(self); }
    static cowork_status init(void* self, const cowork_sink* err) {
        auto& p = of(self);
        return p.lifecycle("plugin.init", Json::object(), err, p.options_.lifecycle_timeout);
    }
    static cowork_status on_all_initialized(void* self, const cowork_sink* err) {
        auto& p = of(self);
        return p.lifecycle("plugin.on_all_initialized", Json::object(), err, p.options_.lifecycle_timeout);
    }
    static cowork_status start(void* self, const cowork_sink* err) {
        auto& p = of(self);
        return p.lifecycle("plugin.start", Json::object(), err, p.options_.lifecycle_timeout);
    }
    static cowork_status stop(void* self, uint32_t deadline_ms, const cowork_sink* err) {
        auto& p = of(self);
        return p.lifecycle("plugin.stop", Json{{"deadline_ms", deadline_ms}}, err,
                           std::chrono::milliseconds(deadline_ms) + p.options_.stop_grace);
    }
    static void destroy(void* self) { of(self).destroy(); }
    static const void* get_interface(void* self, const char* id) { return of(self).get_interface(id); }
};

// One distinct function per slot index: a cowork_json_fn carries only
// `self`, so the index has to live in the function itself.
struct InterfaceSlotProxy {
    template <size_t Slot>
    static cowork_status call(void* self, const char* in, size_t size, const cowork_sink* out) {
        auto* proxy = static_cast<ProcessInstance::InterfaceProxy*>(self);
        return proxy->owner->call_slot(*proxy, Slot, in, size, out);
    }
    template <size_t... Slots>
    static constexpr std::array<cowork_json_fn, sizeof...(Slots)> table(std::index_sequence<Slots...>) {
        return {&call<Slots>...};
    }
};
constexpr auto kSlotFunctions = InterfaceSlotProxy::table(std::make_index_sequence<kMaxSlots>{});

ProcessInstance::ProcessInstance(const plugins::Manifest& manifest, const cowork_host* host,
                                 plugins::CrashHandler on_crash, ProcessOptions options)
    : manifest_(manifest),
      plugin_id_(manifest.id),
      host_(host),
      on_crash_(std::move(on_crash)),
      options_(std::move(options)),
      relay_(host, manifest.id) {
    table_ = {sizeof(cowork_plugin),          this,
              &PluginTableProxy::init,        &PluginTableProxy::on_all_initialized,
              &PluginTableProxy::start,       &PluginTableProxy::stop,
              &PluginTableProxy::destroy,     &PluginTableProxy::get_interface};
}

ProcessInstance* ProcessInstance::from_table(const cowork_plugin* table) {
    if (!table || table->init != &PluginTableProxy::init) return nullptr;
    return static_cast<ProcessInstance*>(table->self);
}

Status ProcessInstance::launch(const std::filesystem::path& host_executable) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return make_error("process.spawn", "cannot create a socket pair for " + who());
    SpawnOptions spawn;
    spawn.executable = host_executable;
    spawn.args = {"--fd", std::to_string(kChildSocketFd), "--library", manifest_.library_path().string(),
                  "--plugin-id", plugin_id_};
    spawn.socket_fd = fds[1];
    spawn.capture_output = options_.capture_output;
    spawn.log_name = plugin_id_;
    spawn.env_allowlist = options_.env_allowlist;
    auto child = ChildProcess::spawn(spawn);
    ::close(fds[1]);
    if (!child) {
        ::close(fds[0]);
        return child.error();
    }
    child_ = std::move(child).value();

    Endpoint::Options link;
    link.max_frame = options_.max_frame;
    link.send_timeout = options_.send_timeout;
    link.closed_code = plugins::kCrashedCode;
    link.timeout_code = "plugin.timeout";
    link.peer_name = who();
    endpoint_ = std::make_unique<Endpoint>(fds[0], handlers(), link);
    relay_.attach(endpoint_.get());
    endpoint_->start();

    if (auto created = relay_create(); !created) {
        shutdown();
        return created;
    }
    armed_ = true;
    // Died between answering create and being armed: report it here, once.
    if (endpoint_->closed() && !crash_reported_.exchange(true)) {
        const std::string reason = endpoint_->wait_closed();
        shutdown();
        return make_error(plugins::kCrashedCode, reason);
    }
    return ok_status();
}

Endpoint::Handlers ProcessInstance::handlers() {
    Endpoint::Handlers h;
    h.on_request = [this](const std::string& method, const Json& params, const Endpoint::EventFn& emit) {
        return relay_.handle_request(method, params, emit);
    };
    h.on_notification = [this](const std::string& method, const Json& params) {
        relay_.handle_notification(method, params);
    };
    h.explain_close = [this](const CloseCause& cause) { return explain_close(cause); };
    h.on_closed = [this](const std::string& reason) { on_closed(reason); };
    return h;
}

Status ProcessInstance::relay_create() {
    Json params{{"version", manifest_.version},
                {"data_dir", host_ && host_->data_dir ? host_->data_dir : ""},
                {"services", relay_.available_services()}};
    const Reply reply = endpoint_->call("plugin.create", std::move(params), {}, options_.create_timeout);
    if (!reply.ok()) return make_error(reply.code, reply.message);
    const cowork_status status = reply.result.value("status", COWORK_E_INTERNAL);
    if (status == COWORK_OK) return ok_status();
    const Json error = Json::parse(reply.result.value("out", std::string()), nullptr, false);
    const std::string why = error.is_object() ? error.value("message", std::string("no reason given")) : "no reason given";
    return make_error("plugin.create_failed", "plugin " + plugin_id_ + " failed to start in its host process: " + why,
                      Json{{"status", status}, {"error", error.is_discarded() ? Json() : error}});
}

cowork_status ProcessInstance::lifecycle(const char* method, Json params, const cowork_sink* err,
                                         std::chrono::milliseconds timeout) {
    return relay_json_call(*endpoint_, method, std::move(params), nullptr, 0, err, timeout);
}

const void* ProcessInstance::get_interface(const char* iface) {
    if (!iface) return nullptr;
    {
        std::lock_guard lock(interfaces_mutex_);
        if (const auto it = interfaces_.find(iface); it != interfaces_.end()) return &it->second->table;
    }
    const Reply reply = endpoint_->call("plugin.get_interface", Json{{"iface", iface}}, {}, options_.lifecycle_timeout);
    if (!reply.ok() || !reply.result.value("found", false)) return nullptr;
    const auto slots = reply.result.value("slots", Json::array());
    const size_t count = std::min(slots.size(), kMaxSlots);
    auto proxy = std::make_unique<InterfaceProxy>();
    proxy->owner = this;
    proxy->iface = iface;
    proxy->table.struct_size = static_cast<uint32_t>(kSlotsOffset + count * sizeof(cowork_json_fn));
    proxy->table.self = proxy.get();
    for (size_t i = 0; i < count; ++i) proxy->table.slots[i] = kSlotFunctions[i];
    std::lock_guard lock(interfaces_mutex_);
    auto& slot = interfaces_[iface];
    if (!slot) slot = std::move(proxy);  // another thread may have won the race
    return &slot->table;
}

cowork_status ProcessInstance::call_slot(const InterfaceProxy& proxy, size_t slot, const char* in, size_t size,
                                         const cowork_sink* out) {
    return relay_json_call(*endpoint_, "iface.call", Json{{"iface", proxy.iface}, {"slot", slot}}, in, size, out,
                           options_.call_timeout);
}

void ProcessInstance::destroy() {
    if (endpoint_ && !endpoint_->closed())
        (void)endpoint_->call("plugin.destroy", Json::object(), {}, options_.lifecycle_timeout);
    shutdown();
}

void ProcessInstance::shutdown() {
    shutting_down_ = true;
    if (shut_down_.exchange(true)) return;
    if (endpoint_) endpoint_->close();  // the child sees EOF and exits
    relay_.release();
    if (child_) child_->wait_or_kill(options_.exit_grace);
}

std::string ProcessInstance::explain_close(const CloseCause& cause) {
    if (cause.kind == CloseCause::Kind::Local) return who() + " was shut down";
    if (cause.kind == CloseCause::Kind::Protocol) {
        const ExitStatus status = child_->kill_now();
        return who() + " broke the protocol (" + cause.detail + "); killed it (" + status.describe() + ")";
    }
    const ExitStatus status = child_->wait_or_kill(options_.exit_grace);
    if (status.signaled) return who() + " crashed (" + status.describe() + ")";
    return who() + " exited unexpectedly (" + status.describe() + ")";
}

void ProcessInstance::on_closed(const std::string& reason) {
    relay_.release();
    if (shutting_down_ || !armed_ || crash_reported_.exchange(true)) return;
    kernel::logger(plugin_id_)->error("{}", reason);
    // Copy first: the handler may destroy this instance.
    const plugins::CrashHandler handler = on_crash_;
    if (handler) handler(reason);
}

}  // namespace cowork::kernel::process
