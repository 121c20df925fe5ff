// kernel/process/process_instance.hpp — one plugin running in a
// cowork-plugin-host child, seen by the kernel through proxy C tables.
//
// `table()` is a cowork_plugin whose functions relay over the Endpoint;
// get_interface hands out proxy interface tables (built generically: every
// slot is a cowork_json_fn relayed as `iface.call {iface, slot, in}`). Every
// relayed call has a timeout. If the child dies, pending calls fail with
// COWORK_E_FAILED ("plugin host for tool.x crashed (signal 11 SIGSEGV)"), the
// child is reaped, and the crash handler runs once — unless the kernel itself
// was shutting the instance down.
#pragma once

#include "plugins/runtime.hpp"
#include "process/child_process.hpp"
#include "process/endpoint.hpp"
#include "process/host_relay.hpp"
#include "process/interface_slots.hpp"
#include "process/process_options.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

namespace cowork::kernel::process {

class ProcessInstance {
public:
    ProcessInstance(const plugins::Manifest& manifest, const cowork_host* host, plugins::CrashHandler on_crash,
                    ProcessOptions options);
    ~ProcessInstance() { shutdown(); }
    ProcessInstance(const ProcessInstance&) = delete;
    ProcessInstance& operator=(const ProcessInstance&) = delete;

    // Spawns the child and relays `create`. On error the child is gone.
    Status launch(const std::filesystem::path& host_executable);

    const cowork_plugin* table() const noexcept { return &table_; }
    pid_t pid() const noexcept { return child_ ? child_->pid() : -1; }
    const std::string& plugin_id() const noexcept { return plugin_id_; }

    // Closes the link, lets the child exit (SIGKILL after exit_grace), reaps
    // it. No crash report. Idempotent; safe from the crash handler.
    void shutdown();

    // Is this table one of ours? (lets ProcessRuntime::host_pid find us)
    static ProcessInstance* from_table(const cowork_plugin* table);

private:
    struct InterfaceProxy {
        GenericInterfaceTable table{};
        ProcessInstance* owner = nullptr;
        std::string iface;
    };

    Endpoint::Handlers handlers();
    Status relay_create();
    cowork_status lifecycle(const char* method, Json params, const cowork_sink* err, std::chrono::milliseconds timeout);
    const void* get_interface(const char* iface);
    cowork_status call_slot(const InterfaceProxy& proxy, size_t slot, const char* in, size_t size,
                            const cowork_sink* out);
    void destroy();
    std::string explain_close(const CloseCause& cause);
    void on_closed(const std::string& reason);
    std::string who() const { return "plugin host for " + plugin_id_; }

    friend struct PluginTableProxy;     // the cowork_plugin functions
    friend struct InterfaceSlotProxy;   // the interface slot functions

    const plugins::Manifest manifest_;
    const std::string plugin_id_;
    const cowork_host* host_;
    plugins::CrashHandler on_crash_;
    const ProcessOptions options_;
    cowork_plugin table_{};
    HostRelay relay_;
    std::unique_ptr<ChildProcess> child_;
    std::unique_ptr<Endpoint> endpoint_;
    std::atomic<bool> armed_{false};        // created: a death is now a crash
    std::atomic<bool> shutting_down_{false};
    std::atomic<bool> crash_reported_{false};
    std::atomic<bool> shut_down_{false};
    std::mutex interfaces_mutex_;
    std::map<std::string, std::unique_ptr<InterfaceProxy>> interfaces_;
};

}  // namespace cowork::kernel::process
