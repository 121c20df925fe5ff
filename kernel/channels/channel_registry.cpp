#include "channels/channel_registry.hpp"

#include "bus/event_bus.hpp"
#include "channels/config_rules.hpp"
#include "core/log.hpp"
#include "core/redactor.hpp"
#include "secrets/secret_store.hpp"
#include "storage/ids.hpp"

#include <algorithm>
#include <set>

namespace cowork::kernel::channels {
namespace {

constexpr size_t kMaxNameLength = 64;

Error invalid(const std::string& message) { return make_error(kInvalid, message); }

Error permanent(const char* code, const std::string& message) {
    return make_error(code, message, {{"permanent", true}});
}

Error transient(const std::string& message) { return make_error(kUnavailable, message, {{"permanent", false}}); }

Status check_name(const std::string& name) {
    if (name.empty()) return invalid("params.name (a unique name for this channel, e.g. \"work-bot\") is required");
    if (name.size() > kMaxNameLength) return invalid("params.name is longer than 64 characters");
    if (std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        return invalid("params.name must not contain control characters");
    return ok_status();
}

std::string describe_down(const std::string& plugin, const PluginView& view) {
    if (!view.known) return "plugin " + plugin + " is not installed (see `cowork plugins list`)";
    return "plugin " + plugin + " is not running: " + view.state + "; the channel opens when it runs";
}

// updated_at only ever grows, even for two changes within one millisecond,
// so another process's registry always notices the second one.
storage::UnixMillis next_update(storage::UnixMillis previous) {
    return std::max(storage::now_ms(), previous + 1);
}

std::vector<std::string> names_of(const std::map<std::string, std::string>& m) {
    std::vector<std::string> out;
    for (const auto& [k, v] : m) out.push_back(k);
    return out;
}

}  // namespace

ChannelRegistry::ChannelRegistry(RegistryDeps deps, RegistryOptions options)
    : deps_(std::move(deps)), options_(options) {}

ChannelRegistry::~ChannelRegistry() { stop(); }

// ----------------------------------------------------------- lifecycle --

void ChannelRegistry::start() {
    if (!options_.active) return;
    reconcile();
    if (options_.watch_period.count() > 0) watcher_ = std::thread([this] { watch(); });
}

void ChannelRegistry::stop() {
    {
        std::lock_guard lock(watch_mutex_);
        if (stopped_) return;
        stopped_ = watch_stop_ = true;
    }
    watch_cv_.notify_all();
    if (watcher_.joinable()) watcher_.join();
    if (!options_.active) return;
    std::lock_guard lifecycle(lifecycle_);
    for (auto& [id, l] : live_) {
        if (!l.table) continue;
        close_locked(l);
        // Not published (the kernel is going down); the row says what a
        // reader of the database should expect next.
        deps_.repo.record_status(id, {kConnecting, "closed: coworkd stopped; it opens again when coworkd starts",
                                      storage::now_ms()});
    }
}

void ChannelRegistry::watch() {
    std::unique_lock lock(watch_mutex_);
    while (!watch_stop_) {
        watch_cv_.wait_for(lock, options_.watch_period, [this] { return watch_stop_ || watch_kick_; });
        if (watch_stop_) break;
        watch_kick_ = false;
        lock.unlock();
        reconcile();
        lock.lock();
    }
}

void ChannelRegistry::wake() const {
    {
        std::lock_guard lock(watch_mutex_);
        watch_kick_ = true;
    }
    watch_cv_.notify_all();
}

void ChannelRegistry::reconcile() {
    if (!options_.active) return;
    Polls polls;
    {
        std::lock_guard lifecycle(lifecycle_);
        reconcile_locked(polls);
    }
    for (const auto& poll : polls) run_poll(poll);
}

void ChannelRegistry::reconcile_locked(Polls& polls) {
    auto rows = deps_.repo.list();
    if (!rows) {
        logger()->warn("channels: cannot read channel instances: {}", rows.error().message);
        return;
    }
    std::set<std::string> present;
    for (const auto& row : *rows) present.insert(row.id);
    std::vector<std::string> gone;
    {
        std::lock_guard lock(state_mutex_);
        for (const auto& [id, l] : live_)
            if (!present.count(id)) gone.push_back(id);
    }
    for (const auto& id : gone) {  // removed by another process
        close_locked(live_.at(id));
        set_status(live_.at(id), kDisabled, "removed");
        std::lock_guard lock(state_mutex_);
        live_.erase(id);
    }
    for (const auto& row : *rows) adopt_locked(row, &polls);
}

// Takes a row as the truth: a new one, or one changed since we applied it,
// is (re)applied; an unchanged one is re-checked against its plugin.
void ChannelRegistry::adopt_locked(const ChannelInstance& row, Polls* deferred) {
    Live* l = nullptr;
    bool changed = false;
    {
        std::lock_guard lock(state_mutex_);
        auto [it, inserted] = live_.try_emplace(row.id);
        l = &it->second;
        changed = !inserted && l->row.updated_at != row.updated_at;
        if (inserted) l->row = row;  // status as recorded: events only on real changes
    }
    if (changed) {
        close_locked(*l);
        std::lock_guard lock(state_mutex_);
        const ChannelStatus status = l->row.status;
        l->row = row;
        l->row.status = status;
        l->failed_on = nullptr;
    }
    apply_locked(*l, deferred);
}

void ChannelRegistry::apply_locked(Live& l, Polls* deferred) {
    if (!l.row.enabled) {
        close_locked(l);
        set_status(l, kDisabled, "disabled; enable it with channel.enable");
        return;
    }
    const PluginView view = deps_.plugins.view(l.row.plugin);
    if (!view.running) {
        forget_table(l);  // the instance went with its plugin; nothing to close
        set_status(l, kError, describe_down(l.row.plugin, view));
        return;
    }
    if (l.table && (l.table != view.table || l.restarts != view.restarts)) forget_table(l);  // restarted: open afresh
    if (l.table && deferred) return deferred->push_back({l.row.id, l.row.plugin, l.table, l.opening});
    if (l.table) return poll_locked(l);
    if (l.failed_on == view.table && std::chrono::steady_clock::now() < l.retry_at) return;
    open_locked(l, view);
}

void ChannelRegistry::open_locked(Live& l, const PluginView& view) {
    auto secrets = resolve_secrets(l.row);
    if (!secrets) {
        set_status(l, kError, secrets.error().message);
        return;
    }
    set_status(l, kConnecting, "opening on " + l.row.plugin);
    ChannelTable table(l.row.plugin, view.table);
    auto opened = table.open({{"channelId", l.row.id}, {"config", l.row.config}, {"secrets", *secrets}});
    if (!opened && opened.error().code != kUnsupported) {
        l.failed_on = view.table;
        l.retry_at = std::chrono::steady_clock::now() + options_.reopen_after;
        set_status(l, kError, opened.error().message);
        return;
    }
    {
        std::lock_guard lock(state_mutex_);
        l.table = view.table;
        ++l.opening;
        l.restarts = view.restarts;
        l.single = !opened;
        l.failed_on = nullptr;
    }
    if (l.single) return poll_locked(l);
    set_status(l, opened->value("state", kConnected), opened->value("detail", ""));
}

void ChannelRegistry::close_locked(Live& l) {
    if (!l.table) return;
    const PluginView view = deps_.plugins.view(l.row.plugin);
    if (!l.single && view.table == l.table) {
        if (auto closed = ChannelTable(l.row.plugin, l.table).close({{"channelId", l.row.id}}); !closed)
            logger()->warn("channels: closing {} ({}): {}", l.row.name, l.row.id, closed.error().message);
    }
    forget_table(l);
}

void ChannelRegistry::forget_table(Live& l) {
    std::lock_guard lock(state_mutex_);
    l.table = nullptr;
    ++l.opening;
}

void ChannelRegistry::poll_locked(Live& l) {
    auto status = ChannelTable(l.row.plugin, l.table).status({{"channelId", l.row.id}});
    if (!status) return set_status(l, kError, status.error().message);
    std::string state = status->value("state", kConnected);
    if (state != kConnected && state != kConnecting && state != kError) state = kError;
    set_status(l, state, status->value("detail", ""));
}

void ChannelRegistry::set_status(Live& l, const std::string& state, const std::string& detail) {
    ChannelStatus next{state, Redactor::instance().redact(detail), storage::now_ms()};
    {
        std::lock_guard lock(state_mutex_);
        if (l.row.status.same_as(next)) return;
        l.row.status = next;
    }
    announce(l.row, next);
}

// Runs outside lifecycle_; the answer counts only if the instance is still
// open from the same opening (not closed, reopened or removed meanwhile).
void ChannelRegistry::run_poll(const Poll& poll) {
    auto status = ChannelTable(poll.plugin, poll.table).status({{"channelId", poll.id}});
    std::string state = status ? status->value("state", kConnected) : kError;
    if (state != kConnected && state != kConnecting && state != kError) state = kError;
    const std::string detail = status ? status->value("detail", "") : status.error().message;
    ChannelStatus next{state, Redactor::instance().redact(detail), storage::now_ms()};
    ChannelInstance row;
    {
        std::lock_guard lock(state_mutex_);
        auto it = live_.find(poll.id);
        if (it == live_.end() || it->second.opening != poll.opening || it->second.row.status.same_as(next)) return;
        it->second.row.status = next;
        row = it->second.row;
    }
    announce(row, next);
}

void ChannelRegistry::announce(const ChannelInstance& row, const ChannelStatus& status) {
    deps_.repo.record_status(row.id, status);
    if (!deps_.bus) return;
    // Events reach read-only clients too (the control plane forwards them
    // as they are): no paths in them; channel.get has the full detail.
    const Json event{{"channelId", row.id}, {"plugin", row.plugin}, {"name", row.name},
                     {"state", status.state}, {"detail", redact_detail_for_readers(status.detail)}};
    if (auto st = deps_.bus->publish("channel.status", event); !st)
        logger()->debug("channels: publish channel.status: {}", st.error().message);
}

// ------------------------------------------------------------- secrets --

Status ChannelRegistry::store_secrets(const std::string& id, const std::map<std::string, std::string>& values) {
    if (values.empty()) return ok_status();
    if (!deps_.secrets)
        return make_error(kUnavailable, "secrets are unavailable: " + deps_.secrets_problem + " (see `cowork doctor`)");
    std::vector<std::string> stored;
    for (const auto& [name, value] : values) {
        if (auto st = deps_.secrets->put(secret_key(id, name), value); !st) {
            delete_secrets(id, stored);
            return make_error(kInvalid, "params.secrets." + name + ": " + st.error().message);
        }
        stored.push_back(name);
    }
    return ok_status();
}

void ChannelRegistry::delete_secrets(const std::string& id, const std::vector<std::string>& names) {
    if (!deps_.secrets) return;
    for (const auto& name : names)
        if (auto st = deps_.secrets->remove(secret_key(id, name)); !st)
            logger()->debug("channels: removing secret {}: {}", secret_key(id, name), st.error().message);
}

Result<Json> ChannelRegistry::resolve_secrets(const ChannelInstance& c) const {
    Json out = Json::object();
    if (c.secret_refs.empty()) return out;
    if (!deps_.secrets)
        return make_error(kUnavailable, "secrets are unavailable: " + deps_.secrets_problem + " (see `cowork doctor`)");
    for (const auto& name : c.secret_refs) {
        auto value = deps_.secrets->get(secret_key(c.id, name));
        if (!value)
            return make_error(kUnavailable, "secret " + secret_key(c.id, name) + " cannot be read (" + value.error().message +
                                                "); set it again with channel.update {\"secrets\":{\"" + name + "\":…}}");
        out[name] = std::move(*value);
    }
    return out;
}

// ----------------------------------------------------------- mutations --

Status ChannelRegistry::check_plugin(const std::string& plugin, const Json& config,
                                     const std::vector<std::string>& secret_names) const {
    if (plugin.empty()) return invalid("params.plugin (a channel plugin id such as channel.telegram) is required");
    const PluginView view = deps_.plugins.view(plugin);
    if (!view.manifest) {
        if (view.known) return invalid("params.plugin: plugin " + plugin + " could not be read (" + view.state + "); fix it first");
        return invalid("params.plugin: unknown plugin '" + plugin + "' (see `cowork plugins list`)");
    }
    if (!is_channel_plugin(*view.manifest))
        return invalid("params.plugin: " + plugin + " is a " + view.manifest->type + " plugin, not a channel (it must have "
                       "type \"channel\" and provide " COWORK_IFACE_CHANNEL ")");
    return check_config(view.manifest->config_schema, config, secret_names);
}

Result<ChannelInstance> ChannelRegistry::create(const NewChannel& request) {
    if (auto st = check_name(request.name); !st) return st.error();
    for (const auto& [name, value] : request.secrets) {
        if (!valid_secret_name(name)) return invalid("params.secrets: '" + name + "' is not a valid name (1-64 of A-Z a-z 0-9 _ -)");
        if (value.empty()) return invalid("params.secrets." + name + " is empty");
    }
    if (auto st = check_plugin(request.plugin, request.config, names_of(request.secrets)); !st) return st.error();
    if (auto taken = deps_.repo.find_by_name(request.name); taken && *taken)
        return make_error(kDuplicateName, "params.name: a channel named '" + request.name + "' already exists (" +
                                              (*taken)->id + "); pick another name or change that one with channel.update");

    ChannelInstance c;
    c.id = storage::new_id("ch_");
    c.plugin = request.plugin;
    c.name = request.name;
    c.enabled = request.enabled;
    c.config = request.config;
    c.secret_refs = names_of(request.secrets);
    c.created_at = c.updated_at = storage::now_ms();
    c.status = request.enabled ? ChannelStatus{kConnecting, "created; opens when coworkd runs its plugin", c.created_at}
                               : ChannelStatus{kDisabled, "created disabled", c.created_at};
    if (auto st = store_secrets(c.id, request.secrets); !st) return st.error();
    auto inserted = deps_.repo.insert(c);
    if (!inserted) {
        delete_secrets(c.id, c.secret_refs);
        return inserted.error();
    }
    if (options_.active) {
        std::lock_guard lifecycle(lifecycle_);
        adopt_locked(*inserted);
    }
    return with_live_status(*inserted);
}

Result<ChannelInstance> ChannelRegistry::update(const std::string& id, const ChannelPatch& patch) {
    std::lock_guard lifecycle(lifecycle_);
    auto current = must_get(id);
    if (!current) return current.error();
    ChannelInstance next = *current;
    if (patch.name) {
        if (auto st = check_name(*patch.name); !st) return st.error();
        next.name = *patch.name;
    }
    if (patch.config) next.config = *patch.config;
    if (patch.enabled) next.enabled = *patch.enabled;
    std::map<std::string, std::string> put;
    std::vector<std::string> dropped;
    for (const auto& [name, value] : patch.secrets) {
        if (!valid_secret_name(name)) return invalid("params.secrets: '" + name + "' is not a valid name (1-64 of A-Z a-z 0-9 _ -)");
        if (value && value->empty()) return invalid("params.secrets." + name + " is empty (use null to delete it)");
        auto& refs = next.secret_refs;
        const bool had = std::find(refs.begin(), refs.end(), name) != refs.end();
        if (value) {
            put[name] = *value;
            if (!had) refs.push_back(name);
        } else if (had) {
            refs.erase(std::remove(refs.begin(), refs.end(), name), refs.end());
            dropped.push_back(name);
        }
    }
    std::sort(next.secret_refs.begin(), next.secret_refs.end());
    if (patch.config || !patch.secrets.empty())
        if (auto st = check_plugin(next.plugin, next.config, next.secret_refs); !st) return st.error();
    if (auto st = store_secrets(id, put); !st) return st.error();
    next.updated_at = next_update(current->updated_at);
    auto saved = deps_.repo.update(next);
    if (!saved) return saved.error();
    delete_secrets(id, dropped);
    if (options_.active) adopt_locked(*saved);
    return with_live_status(*saved);
}

Status ChannelRegistry::remove(const std::string& id) {
    std::lock_guard lifecycle(lifecycle_);
    auto current = must_get(id);
    if (!current) return current.error();
    if (options_.active) {
        bool known = false;
        {
            std::lock_guard lock(state_mutex_);
            known = live_.count(id) > 0;
        }
        if (known) {
            close_locked(live_.at(id));
            set_status(live_.at(id), kDisabled, "removed");
            std::lock_guard lock(state_mutex_);
            live_.erase(id);
        }
    }
    if (auto st = deps_.repo.remove(id); !st) return st.error();
    delete_secrets(id, current->secret_refs);
    return ok_status();
}

// ---------------------------------------------------------------- reads --

Result<ChannelInstance> ChannelRegistry::must_get(const std::string& id) const {
    if (id.empty()) return invalid("params.id (a channel id, see channel.list) is required");
    auto row = deps_.repo.get(id);
    if (!row) return row.error();
    if (!*row) return make_error(kNotFound, "no channel " + id + " (see channel.list)");
    return **row;
}

ChannelInstance ChannelRegistry::with_live_status(ChannelInstance c) const {
    std::lock_guard lock(state_mutex_);
    if (auto it = live_.find(c.id); it != live_.end()) c.status = it->second.row.status;
    return c;
}

Result<ChannelInstance> ChannelRegistry::get(const std::string& id) const {
    auto row = must_get(id);
    if (!row) return row.error();
    return with_live_status(*row);
}

Result<std::vector<ChannelInstance>> ChannelRegistry::list() const {
    auto rows = deps_.repo.list();
    if (!rows) return rows.error();
    for (auto& c : *rows) c = with_live_status(std::move(c));
    return rows;
}

// --------------------------------------------------------- send / test --

// The table an instance is open on, if it is open on the plugin's current
// instance; a transient error otherwise (a retry after reopening may work).
Result<ChannelTable> ChannelRegistry::open_table_for(const ChannelInstance& c) const {
    if (!options_.active)
        return transient("channels are served by coworkd: this process does not run channel plugins; start coworkd and "
                         "call this through it (control plane)");
    const cowork_channel_v1* table = nullptr;
    ChannelStatus status;
    {
        std::lock_guard lock(state_mutex_);
        if (auto it = live_.find(c.id); it != live_.end()) {
            table = it->second.table;
            status = it->second.row.status;
        }
    }
    if (!table) return transient("channel '" + c.name + "' is not open (" + status.state + ": " + status.detail + ")");
    const PluginView view = deps_.plugins.view(c.plugin);
    if (!view.running || view.table != table) {
        wake();  // let the watcher reopen it now
        return transient("channel '" + c.name + "' is reopening: " +
                         (view.running ? "its plugin was restarted" : describe_down(c.plugin, view)));
    }
    return ChannelTable(c.plugin, table);
}

Result<Json> ChannelRegistry::test(const std::string& id) {
    auto c = get(id);
    if (!c) return c.error();
    if (!c->enabled) return Json{{"ok", false}, {"detail", "channel '" + c->name + "' is disabled; enable it first"}};
    auto table = open_table_for(*c);
    if (!table) {
        if (!options_.active) return table.error();
        return Json{{"ok", false}, {"detail", table.error().message}};
    }
    auto result = table->test({{"channelId", c->id}});
    if (!result) return Json{{"ok", false}, {"detail", result.error().message}};
    return Json{{"ok", result->value("ok", false)}, {"detail", Redactor::instance().redact(result->value("detail", ""))}};
}

Result<Json> ChannelRegistry::send(const std::string& id, const Json& message) {
    auto row = deps_.repo.get(id);
    if (!row) return transient("cannot read channel " + id + ": " + row.error().message);
    if (!*row) return permanent(kNotFound, "no channel " + id + " (see channel.list)");
    const ChannelInstance& c = **row;
    if (!c.enabled) return permanent(kDisabledError, "channel '" + c.name + "' is disabled; enable it with channel.enable");
    auto table = open_table_for(c);
    if (!table) return table.error();
    Json in{{"channelId", c.id}, {"chatId", message.value("chatId", "")}, {"text", message.value("text", "")}};
    if (message.contains("idempotencyKey")) in["idempotencyKey"] = message["idempotencyKey"];
    auto sent = table->send(in);
    if (!sent) {
        Error e = std::move(sent).error();
        if (!e.details.contains("permanent")) e.details["permanent"] = false;
        return e;
    }
    return sent;
}

}  // namespace cowork::kernel::channels
