// A real little kernel for the channel registry's tests: the plugin manager
// over a scratch root holding the built channel.loopback fixture (in process,
// or out of process when a test needs crashes), the bus, timers, a SQLite
// file, a secret store, and the registry itself (no watcher thread: tests
// call reconcile() when they want a pass).
#pragma once

#include "bus/bus_service.hpp"
#include "bus/event_bus.hpp"
#include "channels/channel_registry.hpp"
#include "core/asio.hpp"
#include "plugins/inprocess_runtime.hpp"
#include "process/process_runtime.hpp"
#include "scheduler/scheduler_service.hpp"
#include "scheduler/timer_service.hpp"
#include "secrets/secret_store.hpp"
#include "storage/database.hpp"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cowork::kernel::channels::testing {

namespace fs = std::filesystem;

inline const std::string kLoopback = "channel.loopback";           // in process
inline const std::string kLoopbackProc = "channel.loopback-proc";  // out of process: may crash

fs::path fixture_root();     // <build>/fixtures/plugins
fs::path host_executable();  // <build>/out/bin/cowork-plugin-host

// An event's payload as JSON, whichever way it was published.
Json payload_json(const bus::Event& e);

// Every channel.status event, in order; waits are bounded (a missing event
// fails the test, a slow machine only makes it slower).
class StatusEvents {
public:
    void add(const Json& e);
    std::vector<Json> all() const;
    // The first event (at or after `from`) for `channel_id` in `state`; null if none arrives.
    Json wait_for(const std::string& channel_id, const std::string& state, size_t from = 0) const;
    size_t size() const;

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
    std::vector<Json> events_;
};

struct WorldOptions {
    std::vector<std::string> fixtures = {kLoopback};  // built fixture plugins to install
    bool active = true;
    unsigned max_restarts = 5;  // crash restarts the manager allows (0: a crash is final)
};

class World {
public:
    explicit World(const fs::path& dir, WorldOptions options = {});
    ~World();

    ChannelRegistry& registry() { return *registry_; }
    plugins::PluginManager& manager() { return *manager_; }
    storage::Database& db() { return *db_; }
    secrets::SecretStore& secrets() { return *secrets_; }
    bus::EventBus& bus() { return *bus_; }
    StatusEvents& events() { return events_; }
    const ChannelPlugins& plugins() const { return *plugins_; }
    const fs::path& dir() const { return dir_; }

    // A fresh file path under the world's directory.
    fs::path file(const std::string& name) const { return dir_ / name; }
    // The JSON lines delivered to `file`.
    std::vector<Json> delivered(const fs::path& file) const;
    // Creates a loopback instance delivering to `file`, asserting success.
    ChannelInstance create(const std::string& name, Json config, std::map<std::string, std::string> secrets = {},
                           const std::string& plugin = kLoopback);

private:
    struct PerPlugin {
        cowork_host host{};
        std::string id;
        World* world = nullptr;
    };
    static const void* get_service(void* ctx, const char* id);
    static void log(void* ctx, int32_t level, const char* msg, size_t size);

    fs::path dir_;
    std::unique_ptr<asio::thread_pool> pool_;
    std::unique_ptr<bus::EventBus> bus_;
    std::unique_ptr<bus::BusService> bus_service_;
    std::unique_ptr<scheduler::TimerService> timers_;
    std::unique_ptr<scheduler::SchedulerService> scheduler_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<secrets::SecretStore> secrets_;
    cowork_log_v1 log_{sizeof(cowork_log_v1), this, &World::log};
    std::deque<PerPlugin> hosts_;
    std::map<std::string, plugins::Manifest> manifests_;
    std::unique_ptr<plugins::InProcessRuntime> inprocess_;
    std::unique_ptr<process::ProcessRuntime> process_;
    std::unique_ptr<plugins::PluginManager> manager_;
    std::unique_ptr<ManagerChannelPlugins> plugins_;
    std::unique_ptr<ChannelRepo> repo_;
    std::unique_ptr<ChannelRegistry> registry_;
    bus::Subscription status_sub_;
    StatusEvents events_;
};

}  // namespace cowork::kernel::channels::testing
