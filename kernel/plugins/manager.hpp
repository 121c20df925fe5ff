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
//
// Crash restarts. A runtime that can lose an instance underneath the kernel
// (ProcessRuntime: the cowork-plugin-host child died) reports it through
// the CrashHandler. What the manager does with a report:
//   - crash before start was called (create, init, on_all_initialized):
//     Failed{load|init|…, reason}, no restart. The kernel finished booting
//     without the plugin, and its dependents were already disabled.
//   - crash in start or while Running: Failed{start|run, "plugin host for X
//     crashed (signal 11 SIGSEGV)"}, and a restart is scheduled with the
//     Supervisor's exponential backoff + jitter (ManagerOptions::
//     restart_backoff). A restart destroys the dead instance (reaping the
//     child), creates a new one through the same runtime with the *same*
//     host table (the HostFactory is asked once per plugin), then init →
//     on_all_initialized → start; success returns it to Running, counted in
//     snapshot()'s `restarts`; `lastCrash` keeps the last report. A failed
//     restart counts as another crash.
//   - more than max_restarts failures within the window: the Supervisor
//     gives up and the plugin stays Failed{run, "gave up after N restarts
//     in M minutes: <last reason>"}.
// A plain error returned by a lifecycle call (the plugin said no) is never
// retried: only a dead instance is. Dependents disabled while the plugin
// was down stay disabled; dependents that were running simply see
// interface() answer nullptr until it is Running again. stop() cancels
// pending restarts and waits for one in progress (bounded by the runtime's
// call timeouts) before stopping anything.
//
// Threads: crash handlers run on the runtime's relay threads, restarts on
// the Supervisor's thread. Neither calls into a plugin while holding the
// manager mutex; driving one plugin's lifecycle is serialized by its
// record's own `lifecycle` mutex.
#pragma once

#include "plugins/backoff.hpp"
#include "plugins/discovery.hpp"
#include "plugins/json_schema.hpp"
#include "plugins/plugin_record.hpp"
#include "plugins/runtime.hpp"
#include "plugins/supervisor.hpp"
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
    BackoffPolicy::Options restart_backoff{};  // crash restarts (see the top of this file)
};

// A plugin's state as seen from outside.
struct PluginStatus {
    State state;
    std::string phase;
    std::string reason;
    unsigned restarts = 0;   // successful crash restarts
    std::string last_crash;  // empty until it crashed
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
    // {id, version, type, state, phase, reason, restarts, lastCrash, root,
    // rootKind, dir, provides} (lastCrash: null until it crashed), shadowed
    // copies included with state "Shadowed".
    Json snapshot() const;
    std::optional<PluginStatus> status(const std::string& id) const;

    // [any-thread] An interface table of a Running plugin, or nullptr. Valid
    // memory until the manager is destroyed; after a crash its calls fail,
    // so callers ask again (a restarted plugin hands out new tables). Only
    // interfaces the manifest declares in `provides`.
    const void* interface(const std::string& plugin_id, const std::string& iface_id) const;
    // Every Running plugin offering iface_id, in start order.
    std::vector<std::pair<std::string, const void*>> find_interfaces(const std::string& iface_id) const;

    const std::vector<std::string>& load_order() const noexcept { return order_; }
    // A copy: a plugin that crashed in start joins it when a restart succeeds.
    std::vector<std::string> start_order() const;
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
    const cowork_plugin* table_of(const PluginRecord& r) const;
    void mark_started(const std::string& id);

    // Crash restarts (see the top of this file).
    Result<Instance> create_instance(PluginRecord& r);
    void on_crash(const std::string& id, unsigned generation, const std::string& reason);
    void report_crash(PluginRecord& r, const std::string& reason);
    void crashed(PluginRecord& r, const std::string& reason);  // mutex_ held
    Supervisor& supervisor_for(PluginRecord& r);  // mutex_ held
    Status restart(PluginRecord& r);              // on the Supervisor's thread
    struct StepError {
        std::string phase, message;
        bool crashed = false;
    };
    std::optional<StepError> bring_up(PluginRecord& r);  // init → on_all_initialized → start
    void give_up(const std::string& id, const std::string& last_reason);
    void cancel_restarts();
    bool stopping() const;
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
    std::vector<std::string> started_;                    // start order; mutex_
    mutable std::mutex mutex_;                            // guards record state (crash handlers run on other threads)
    bool stopping_ = false;                               // mutex_: no more restarts
    std::map<std::string, std::unique_ptr<Supervisor>> supervisors_;  // mutex_; made on a plugin's first crash
};

}  // namespace cowork::kernel::plugins
