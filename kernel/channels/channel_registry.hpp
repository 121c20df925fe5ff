// kernel/channels/channel_registry.hpp — channel instances: stored,
// validated, opened on their plugins, watched.
//
// One registry per kernel. In coworkd it is *active*: at start it opens every
// enabled instance whose plugin is Running, and a watcher thread then
// reconciles once per `watch_period`:
//   - rows changed by another process (the CLI writes the same cowork.db)
//     are applied: opened, closed, or closed and reopened;
//   - a plugin that stopped or crashed marks its instances `error` (its
//     other instances and other plugins are untouched); when the manager
//     has restarted it (a new table, a higher restart count) they reopen;
//   - open instances are asked for their status.
// Every change of an instance's state is published on the bus as
// `channel.status {channelId, plugin, name, state, detail}` and recorded in
// the row. In the CLI (plugins initialized, not started) it is *passive*: it
// manages rows and secrets; sending and testing need a running coworkd.
//
// Secrets: values given on create/update go to the secrets service under
// `channel.<id>.<name>`; rows keep names only. Values are resolved only to
// hand them to the plugin's `open`, and are never returned, logged or
// published (details pass through the Redactor).
//
// Threads: every method is [any-thread]. Lifecycle work (open/close/
// reconcile/mutations) is serialized; send/test/get do not wait for it, and
// the watcher asks open instances for their status after releasing it, so a
// plugin slow to answer `status` holds up no change to other instances.
#pragma once

#include "channels/channel_instance.hpp"
#include "channels/channel_plugins.hpp"
#include "channels/channel_repo.hpp"
#include "channels/channel_table.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cowork::kernel::bus {
class EventBus;
}
namespace cowork::kernel::secrets {
class SecretStore;
}

namespace cowork::kernel::channels {

// Error codes; the API maps the first three to INVALID_PARAMS.
inline constexpr const char* kInvalid = "channel.invalid";
inline constexpr const char* kNotFound = "channel.not_found";
inline constexpr const char* kDuplicateName = "channel.duplicate_name";
inline constexpr const char* kDisabledError = "channel.disabled";   // permanent for the outbox
inline constexpr const char* kUnavailable = "channel.unavailable";  // transient: not open, plugin down

// Not owned; each must outlive the registry.
struct RegistryDeps {
    ChannelRepo& repo;
    const ChannelPlugins& plugins;
    secrets::SecretStore* secrets = nullptr;  // null: secrets unavailable, for the reason below
    std::string secrets_problem;
    bus::EventBus* bus = nullptr;             // null: no events (tests that do not listen)
};

struct RegistryOptions {
    bool active = true;                               // open instances on plugins (coworkd)
    std::chrono::milliseconds watch_period{1000};     // 0: no watcher thread (tests call reconcile())
    std::chrono::milliseconds reopen_after{30'000};   // after a failed open, before trying again
};

struct NewChannel {
    std::string plugin;
    std::string name;
    Json config = Json::object();
    std::map<std::string, std::string> secrets;  // name → value
    bool enabled = true;
};

// Absent fields stay as they are. A secret mapped to nullopt is deleted.
struct ChannelPatch {
    std::optional<std::string> name;
    std::optional<Json> config;
    std::optional<bool> enabled;
    std::map<std::string, std::optional<std::string>> secrets;
};

class ChannelRegistry {
public:
    ChannelRegistry(RegistryDeps deps, RegistryOptions options = {});
    ~ChannelRegistry();  // stop()
    ChannelRegistry(const ChannelRegistry&) = delete;
    ChannelRegistry& operator=(const ChannelRegistry&) = delete;

    // Active: opens what can be opened, then starts the watcher.
    void start();
    // Stops the watcher and closes every open instance (before plugins stop).
    void stop();
    // One watcher pass (see the top of this file); tests call it directly.
    void reconcile();
    bool active() const { return options_.active; }

    Result<ChannelInstance> create(const NewChannel& request);
    Result<ChannelInstance> update(const std::string& id, const ChannelPatch& patch);
    Status remove(const std::string& id);

    Result<ChannelInstance> get(const std::string& id) const;
    Result<std::vector<ChannelInstance>> list() const;

    // {ok, detail}: the plugin's own check of an open instance; an instance
    // that could not open answers ok=false with the reason.
    Result<Json> test(const std::string& id);
    // message: {chatId, text, idempotencyKey?}. Errors carry
    // details.permanent: true for unknown/disabled channels and for refusals
    // the plugin calls permanent; false when a retry may work.
    Result<Json> send(const std::string& id, const Json& message);

private:
    struct Live {
        ChannelInstance row;
        const cowork_channel_v1* table = nullptr;  // open on this table (nullptr: not open)
        unsigned restarts = 0;                     // the plugin's restart count when opened
        bool single = false;                       // the plugin serves one instance (no open/close)
        const cowork_channel_v1* failed_on = nullptr;  // open failed on this table …
        std::chrono::steady_clock::time_point retry_at{};  // … try again after this
        uint64_t opening = 0;  // bumped whenever it is opened or forgotten: stale polls are dropped
    };
    // A status question for an open instance, asked without holding
    // lifecycle_ so a plugin slow to answer delays nobody else's changes.
    struct Poll {
        std::string id, plugin;
        const cowork_channel_v1* table;
        uint64_t opening;
    };
    using Polls = std::vector<Poll>;

    Result<ChannelInstance> must_get(const std::string& id) const;
    Status check_plugin(const std::string& plugin, const Json& config, const std::vector<std::string>& secret_names) const;
    Status store_secrets(const std::string& id, const std::map<std::string, std::string>& values);
    void delete_secrets(const std::string& id, const std::vector<std::string>& names);
    Result<Json> resolve_secrets(const ChannelInstance& c) const;

    // lifecycle_ held for all of these.
    void reconcile_locked(Polls& polls);
    // With `deferred`, an open instance's status poll is queued there instead of run.
    void apply_locked(Live& l, Polls* deferred = nullptr);
    void open_locked(Live& l, const PluginView& view);
    void close_locked(Live& l);
    void forget_table(Live& l);
    void poll_locked(Live& l);
    void adopt_locked(const ChannelInstance& row, Polls* deferred = nullptr);
    void set_status(Live& l, const std::string& state, const std::string& detail);
    void run_poll(const Poll& poll);
    void announce(const ChannelInstance& row, const ChannelStatus& status);

    ChannelInstance with_live_status(ChannelInstance c) const;
    Result<ChannelTable> open_table_for(const ChannelInstance& c) const;
    void wake() const;
    void watch();

    RegistryDeps deps_;
    RegistryOptions options_;

    std::mutex lifecycle_;            // serializes open/close/reconcile/mutations (may wait on plugins)
    mutable std::mutex state_mutex_;  // guards live_ (short holds only)
    std::map<std::string, Live> live_;

    mutable std::mutex watch_mutex_;
    mutable std::condition_variable watch_cv_;
    bool watch_stop_ = false;
    mutable bool watch_kick_ = false;
    std::thread watcher_;
    bool stopped_ = false;
};

}  // namespace cowork::kernel::channels
