// cowork/sdk/plugin.hpp — the Plugin base class and the entry macro.
#pragma once

#include <cowork/abi.h>
#include <cowork/sdk/barrier.hpp>
#include <cowork/sdk/host.hpp>
#include <cowork/sdk/interfaces.hpp>

#include <chrono>
#include <cstring>
#include <memory>
#include <string_view>

namespace cowork::sdk {

// Derive from this (and from the interface bases you provide). Every virtual
// runs behind the exception barrier: throw sdk::Error to fail cleanly.
class Plugin {
public:
    explicit Plugin(Host host) : host_(host) {}
    virtual ~Plugin() = default;
    Plugin(const Plugin&) = delete;
    Plugin& operator=(const Plugin&) = delete;

    // Register what you provide; no I/O yet.
    virtual void init() {}
    // Every plugin is initialized (called in reverse load order).
    virtual void on_all_initialized() {}
    // Begin I/O.
    virtual void start() {}
    // End I/O before the deadline.
    virtual void stop(std::chrono::milliseconds /*deadline*/) {}

    // The C table for an interface id, or nullptr. The default finds the
    // interface bases this object derives from.
    virtual const void* interface(std::string_view id) {
        if (id == COWORK_IFACE_TOOL_PROVIDER)
            if (auto* p = dynamic_cast<ToolProvider*>(this)) return p->tool_table();
        if (id == COWORK_IFACE_LLM)
            if (auto* p = dynamic_cast<LlmProvider*>(this)) return p->llm_table();
        if (id == COWORK_IFACE_CHANNEL)
            if (auto* p = dynamic_cast<Channel*>(this)) return p->channel_table();
        if (id == COWORK_IFACE_MEMORY)
            if (auto* p = dynamic_cast<Memory*>(this)) return p->memory_table();
        if (id == COWORK_IFACE_FRONTEND)
            if (auto* p = dynamic_cast<Frontend*>(this)) return p->frontend_table();
        if (id == COWORK_IFACE_METHODS)
            if (auto* p = dynamic_cast<MethodProvider*>(this)) return p->methods_table();
        return nullptr;
    }

    const Host& host() const noexcept { return host_; }

private:
    Host host_;
};

namespace detail {

// Owns the plugin object and the C table the kernel sees.
struct Instance {
    std::unique_ptr<Plugin> plugin;
    cowork_plugin table{};
};

inline Plugin& of(void* self) { return *static_cast<Instance*>(self)->plugin; }

template <class T>
cowork_status create(const cowork_host* host, const cowork_plugin** out, const cowork_sink* err) {
    return guarded(err, [&] {
        if (!host || !out) throw invalid("create: null host or out");
        auto inst = std::make_unique<Instance>();
        inst->plugin = std::make_unique<T>(Host(host));
        inst->table.struct_size = sizeof(cowork_plugin);
        inst->table.self = inst.get();
        inst->table.init = [](void* s, const cowork_sink* e) { return guarded(e, [&] { of(s).init(); }); };
        inst->table.on_all_initialized = [](void* s, const cowork_sink* e) {
            return guarded(e, [&] { of(s).on_all_initialized(); });
        };
        inst->table.start = [](void* s, const cowork_sink* e) { return guarded(e, [&] { of(s).start(); }); };
        inst->table.stop = [](void* s, uint32_t deadline_ms, const cowork_sink* e) {
            return guarded(e, [&] { of(s).stop(std::chrono::milliseconds(deadline_ms)); });
        };
        inst->table.destroy = [](void* s) { delete static_cast<Instance*>(s); };
        inst->table.get_interface = [](void* s, const char* id) -> const void* {
            try {
                return id ? of(s).interface(id) : nullptr;
            } catch (...) {
                return nullptr;
            }
        };
        *out = &inst.release()->table;
    });
}

}  // namespace detail
}  // namespace cowork::sdk

// Emits the one exported entry struct. Use once per plugin library:
//   COWORK_PLUGIN(MyPlugin, "tool.hello", "1.0.0")
// id and version must match cowork.plugin.json; the kernel checks both.
#define COWORK_PLUGIN(Class, Id, Version)                                                    \
    extern "C" __attribute__((visibility("default"))) const cowork_plugin_entry cowork_entry = { \
        sizeof(cowork_plugin_entry), COWORK_ABI_MAJOR, COWORK_ABI_MINOR, Id, Version,          \
        &::cowork::sdk::detail::create<Class>}
