// kernel/plugins/manager.hpp — the plugin manager: discover, validate,
// resolve, verify, load and run plugins, and keep one broken plugin from
// taking the kernel down.
//
// Each step works on every plugin still in the running and records what
// went wrong on that plugin's record (see plugin_record.hpp); no step
// throws and none stops at the first bad plugin.
//
//   PluginManager pm(options, {{"inprocess", &inproc}, {"process", &proc}}, hosts);
//   pm.start_all();                 // discover → read → resolve → load → init → start
//   auto tools = pm.find_interfaces(COWORK_IFACE_TOOL_PROVIDER);
//   ...
//   pm.stop();                      // exact reverse of start, per-plugin deadline
#pragma once

#include "plugins/discovery.hpp"
#include "plugins/json_schema.hpp"
#include "plugins/plugin_record.hpp"
#include "plugins/runtime.hpp"
#include "plugins/verifier.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cowork::kernel::plugins {

// Runtimes by `runtime.kind` ("inprocess", "process"). Not owned; they must
// outlive the manager.
using RuntimeMap = std::map<std::string, Runtime*>;

// [main] The host table a plugin is created with: the kernel's services
// routed for that plugin (its id, its declared permissions). Owned by the
// kernel; it must outlive the manager. An Error refuses the plugin
// (Failed{load, message}).
using HostFactory = std::function<Result<const cowork_host*>(const Manifest& manifest)>;

struct ManagerOptions {
    std::vector<Root> roots;                  // standard_roots(...) + --plugin-dir
    std::filesystem::path schema_path;        // share/cowork/cowork.plugin.schema.json; empty → embedded copy
    std::vector<TrustedKey> trusted_keys;     // who may sign plugins
    std::set<std::string> disabled;           // config: never load these
    std::set<std::string> enabled;            // config: load these even if enabledByDefault is false
    std::string kernel_version = "0.1.0";     // checked against kernel.minVersion
    std::chrono::milliseconds stop_deadline{5000};
};

// A plugin's state as seen from outside.
struct PluginStatus {
    State state;
    std::string phase;
    std::string reason;
};

class PluginManager {
public:
    PluginManager(ManagerOptions options, RuntimeMap runtimes, HostFactory host_factory);
    // Stops whatever still runs, then destroys instances (libraries stay mapped).
    ~PluginManager();
    PluginManager(const PluginManager&) = delete;
    PluginManager& operator=(const PluginManager&) = delete;

    // The steps, in order; each may be called once. [main]
    void discover();
    void read();        // JSON + schema + semantics + config (disabled / enabledByDefault)
    void resolve();     // dependencies, cycles, order
    void load();        // verify, then create through the runtime for runtime.kind
    void init();        // init in order, then on_all_initialized in reverse
    void start();       // start in order
    void stop();        // stop in exact reverse of start, each within stop_deadline
    void start_all();   // discover … start

    // [any-thread] For `cowork plugins list`: one object per plugin
    // {id, version, type, state, phase, reason, root, rootKind, dir, provides},
    // shadowed copies included with state "Shadowed".
    Json snapshot() const;
    std::optional<PluginStatus> status(const std::string& id) const;

    // [any-thread] An interface table of a Running plugin, or nullptr. Valid
    // until stop(). Only interfaces the manifest declares in `provides`.
    const void* interface(const std::string& plugin_id, const std::string& iface_id) const;
    // Every Running plugin offering iface_id, in start order.
    std::vector<std::pair<std::string, const void*>> find_interfaces(const std::string& iface_id) const;

    const std::vector<std::string>& load_order() const noexcept { return order_; }
    const std::vector<std::string>& start_order() const noexcept { return started_; }
    const std::string& schema_source() const noexcept { return schema_source_; }

private:
    PluginRecord* find(const std::string& id) const;
    State state_of(const PluginRecord& r) const;
    void fail(PluginRecord& r, const std::string& phase, const std::string& reason);
    void disable(PluginRecord& r, const std::string& reason);
    bool advance(PluginRecord& r, State to);
    std::optional<std::string> upstream_problem(const PluginRecord& r, State needed) const;
    void read_one(PluginRecord& r);
    void load_one(PluginRecord& r);
    void stop_one(PluginRecord& r);
    void destroy_instance(PluginRecord& r);
    // Disables every plugin in `order_` whose required dependency fell below
    // `needed`, destroying instances they no longer use.
    void cascade(State needed);

    ManagerOptions options_;
    RuntimeMap runtimes_;
    HostFactory host_factory_;
    std::string schema_source_;  // before schema_: filled while schema_ is built
    JsonSchema schema_;
    Verifier verifier_;

    std::vector<std::unique_ptr<PluginRecord>> records_;  // scan order
    std::vector<Shadowed> shadowed_;
    std::vector<std::string> order_;                      // dependency order
    std::vector<std::string> started_;                    // start order
    mutable std::mutex mutex_;                            // guards record state (crash handlers run on other threads)
};

}  // namespace cowork::kernel::plugins
