#include "plugins/manager.hpp"

#include "plugins/error_sink.hpp"
#include "plugins/manifest_reader.hpp"
#include "plugins/resolver.hpp"
#include "plugins/semver.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <thread>
#include <utility>

namespace cowork::kernel::plugins {
namespace {

// Where a state sits on the happy path, to ask "has it got at least this far?".
int progress(State s) {
    switch (s) {
    case State::Discovered: return 0;
    case State::Read: return 1;
    case State::Resolved: return 2;
    case State::Loaded: return 3;
    case State::Initialized: return 4;
    case State::Running: return 5;
    default: return -1;  // Stopping/Stopped/Disabled/Failed: not usable as a dependency
    }
}

// One lifecycle call through the C table. nullopt on success, else the
// plugin's own error message. A C++ exception should never get here (the
// SDK's barrier catches them), but a plugin built without the SDK might
// let one escape; it must not escape the kernel too.
struct CallError {
    std::string message;
    bool crashed = false;  // the instance died (kCrashedCode), as opposed to the plugin saying no
};

std::optional<CallError> invoke(const std::function<cowork_status(const cowork_sink*)>& call) {
    ErrorSink err;
    try {
        const cowork_status status = call(err.sink());
        if (status == COWORK_OK) return std::nullopt;
        return CallError{err.message(status), err.code() == kCrashedCode};
    } catch (const std::exception& e) {
        return CallError{std::string("threw across the C boundary: ") + e.what()};
    } catch (...) {
        return CallError{"threw across the C boundary"};
    }
}

std::optional<CallError> call_init(const cowork_plugin* t) {
    return t->init ? invoke([t](const cowork_sink* e) { return t->init(t->self, e); }) : std::nullopt;
}
std::optional<CallError> call_all_initialized(const cowork_plugin* t) {
    return t->on_all_initialized ? invoke([t](const cowork_sink* e) { return t->on_all_initialized(t->self, e); })
                                 : std::nullopt;
}
std::optional<CallError> call_start(const cowork_plugin* t) {
    return t->start ? invoke([t](const cowork_sink* e) { return t->start(t->self, e); }) : std::nullopt;
}

// What the plugin was doing when a crash report arrived, judged by where
// its record stands (the call in flight moves it on only when it returns).
std::string phase_in_flight(const PluginRecord& r) {
    switch (r.state()) {
    case State::Loaded: return "init";
    case State::Initialized: return r.restartable ? "start" : "on_all_initialized";
    case State::Stopping: return "stop";
    default: return "run";
    }
}

// "10 minutes", "30 seconds", "1500 ms": the backoff window, for people.
std::string describe_window(std::chrono::milliseconds window) {
    const auto ms = window.count();
    auto unit = [](long long n, const char* one) { return std::to_string(n) + " " + one + (n == 1 ? "" : "s"); };
    if (ms > 0 && ms % 60'000 == 0) return unit(ms / 60'000, "minute");
    if (ms > 0 && ms % 1000 == 0) return unit(ms / 1000, "second");
    return std::to_string(ms) + " ms";
}

std::string describe(const PluginRecord& r) {
    if (r.state() == State::Failed) return "failed (" + r.phase() + "): " + r.reason();
    if (r.state() == State::Disabled) return "disabled: " + r.reason();
    return std::string(to_string(r.state()));
}

}  // namespace

PluginManager::PluginManager(ManagerOptions options, RuntimeMap runtimes, HostFactory host_factory)
    : options_(std::move(options)),
      runtimes_(std::move(runtimes)),
      host_factory_(std::move(host_factory)),
      schema_(load_manifest_schema(options_.schema_path, &schema_source_)),
      verifier_(options_.trusted_keys) {}

PluginManager::~PluginManager() { stop(); }

void PluginManager::start_all() {
    discover();
    read();
    resolve();
    load();
    init();
    start();
}

// ------------------------------------------------------------ bookkeeping --

PluginRecord* PluginManager::find(const std::string& id) const {
    for (const auto& r : records_)
        if (r->id() == id) return r.get();
    return nullptr;
}

State PluginManager::state_of(const PluginRecord& r) const {
    std::lock_guard lock(mutex_);
    return r.state();
}

void PluginManager::fail(PluginRecord& r, const std::string& phase, const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (auto st = r.fail(phase, reason); !st) return spdlog::error("{}", st.error().message);
    spdlog::error("plugin {} failed ({}): {}", r.id(), phase, reason);
}

void PluginManager::disable(PluginRecord& r, const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (auto st = r.disable(reason); !st) return spdlog::error("{}", st.error().message);
    spdlog::warn("plugin {} disabled: {}", r.id(), reason);
}

bool PluginManager::advance(PluginRecord& r, State to) {
    std::lock_guard lock(mutex_);
    if (r.state() == State::Failed) return false;  // a crash report got there first; it said why
    if (auto st = r.advance(to); !st) {
        spdlog::error("{}", st.error().message);
        return false;
    }
    return true;
}

std::optional<std::string> PluginManager::upstream_problem(const PluginRecord& r, State needed) const {
    for (const auto& dep : r.manifest->dependencies) {
        const PluginRecord* up = find(dep.id);
        if (!up || dep.optional) continue;  // absence was judged by the resolver
        std::lock_guard lock(mutex_);
        if (progress(up->state()) < progress(needed)) return "requires " + dep.id + ", which is " + describe(*up);
    }
    return std::nullopt;
}

void PluginManager::destroy_instance(PluginRecord& r) {
    const cowork_plugin* table = nullptr;
    {
        // Claimed under the mutex so a restart and the main thread never
        // both destroy it; destroyed outside it because destroy joins the
        // relay thread, whose crash handler takes the mutex.
        std::lock_guard lock(mutex_);
        if (r.abandoned) return;
        table = std::exchange(r.instance.table, nullptr);
    }
    if (!table) return;
    try {
        table->destroy(table->self);
    } catch (...) {
        spdlog::error("plugin {}: destroy threw across the C boundary", r.id());
    }
    // r.instance.owner stays: the library is never unmapped while the kernel runs.
}

const cowork_plugin* PluginManager::table_of(const PluginRecord& r) const {
    std::lock_guard lock(mutex_);
    return r.instance.table;
}

void PluginManager::mark_started(const std::string& id) {
    std::lock_guard lock(mutex_);
    if (std::find(started_.begin(), started_.end(), id) == started_.end()) started_.push_back(id);
}

bool PluginManager::stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void PluginManager::cascade(State needed) {
    for (const auto& id : order_) {
        PluginRecord& r = *find(id);
        if (state_of(r) != needed) continue;
        if (auto problem = upstream_problem(r, needed)) {
            destroy_instance(r);
            disable(r, *problem);
        }
    }
}

// ------------------------------------------------------------------ steps --

void PluginManager::discover() {
    auto found = plugins::discover(options_.roots);
    for (auto& c : found.plugins) records_.push_back(std::make_unique<PluginRecord>(std::move(c)));
    shadowed_ = std::move(found.shadowed);
    spdlog::info("plugins: {} found, {} shadowed", records_.size(), shadowed_.size());
}

void PluginManager::read() {
    for (auto& r : records_)
        if (state_of(*r) == State::Discovered) read_one(*r);
}

void PluginManager::read_one(PluginRecord& r) {
    auto doc = read_manifest_json(r.where().dir / kManifestFile);
    if (!doc) return fail(r, "read", doc.error().message);
    auto manifest = parse_manifest(*doc, r.where().dir, schema_);
    if (!manifest) return fail(r, "validate", manifest.error().message);
    const auto& m = *manifest;
    if (!m.kernel_min_version.empty()) {
        const auto ours = Version::parse(options_.kernel_version);
        if (ours && *ours < *Version::parse(m.kernel_min_version))
            return fail(r, "validate", "/kernel/minVersion: needs CoWork " + m.kernel_min_version + " or newer, this is " +
                                           options_.kernel_version + ": update CoWork");
    }
    r.manifest = std::move(manifest).value();
    if (!advance(r, State::Read)) return;
    if (options_.disabled.count(r.id())) return disable(r, "disabled in config");
    if (!r.manifest->enabled_by_default && !options_.enabled.count(r.id()))
        disable(r, "off by default (enabledByDefault: false); enable it in the config");
}

void PluginManager::resolve() {
    std::vector<ResolveNode> nodes;
    for (const auto& r : records_) {
        ResolveNode n;
        n.id = r->id();
        n.usable = state_of(*r) == State::Read;
        if (!n.usable) n.unusable_reason = describe(*r);
        if (r->manifest) {
            n.version = r->manifest->version;
            n.dependencies = r->manifest->dependencies;
            n.provides = r->manifest->provides;
            n.requires_ = r->manifest->requires_;
        }
        nodes.push_back(std::move(n));
    }
    const Resolution resolution = plugins::resolve(nodes);
    for (const auto& [id, verdict] : resolution.verdicts) {
        PluginRecord& r = *find(id);
        if (verdict.kind == Verdict::Kind::Failed) fail(r, "resolve", verdict.reason);
        else if (verdict.kind == Verdict::Kind::Disabled) disable(r, verdict.reason);
    }
    for (const auto& id : resolution.order)
        if (resolution.verdicts.at(id).kind == Verdict::Kind::Ok && advance(*find(id), State::Resolved))
            order_.push_back(id);
}

void PluginManager::load() {
    for (const auto& id : order_) {
        PluginRecord& r = *find(id);
        if (state_of(r) != State::Resolved) continue;
        if (auto problem = upstream_problem(r, State::Loaded)) {
            disable(r, *problem);
            continue;
        }
        load_one(r);
    }
}

void PluginManager::load_one(PluginRecord& r) {
    const Manifest& m = *r.manifest;
    auto runtime = runtimes_.find(m.runtime.kind);
    if (runtime == runtimes_.end() || !runtime->second) return fail(r, "load", "no runtime for kind " + m.runtime.kind);
    auto verified = verifier_.verify(m);
    if (!verified) return fail(r, "verify", verified.error().message);
    r.verified_by = *verified;
    if (!host_factory_) return fail(r, "load", "the kernel provided no host table for " + m.id);
    auto host_or = host_factory_(m);
    if (!host_or) return fail(r, "load", host_or.error().message);
    if (!*host_or) return fail(r, "load", "the kernel provided no host table for " + m.id);
    r.host = *host_or;  // kept: a crash restart reuses it
    auto instance = create_instance(r);
    if (!instance) return fail(r, "load", instance.error().message);
    r.instance = std::move(instance).value();
    if (!advance(r, State::Loaded)) destroy_instance(r);
    else spdlog::info("plugin {} {} loaded ({})", m.id, m.version, r.verified_by);
}

void PluginManager::init() {
    for (const auto& id : order_) {
        PluginRecord& r = *find(id);
        if (state_of(r) != State::Loaded) continue;
        if (auto problem = upstream_problem(r, State::Initialized)) {
            destroy_instance(r);
            disable(r, *problem);
            continue;
        }
        if (auto error = call_init(table_of(r))) {
            destroy_instance(r);
            fail(r, "init", error->message);
        } else {
            advance(r, State::Initialized);
        }
    }
    // Everything is registered: tell them, last-initialized first.
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
        PluginRecord& r = *find(*it);
        if (state_of(r) != State::Initialized) continue;
        if (auto error = call_all_initialized(table_of(r))) {
            destroy_instance(r);
            fail(r, "on_all_initialized", error->message);
        }
    }
    cascade(State::Initialized);
}

void PluginManager::start() {
    for (const auto& id : order_) {
        PluginRecord& r = *find(id);
        if (state_of(r) != State::Initialized) continue;
        if (auto problem = upstream_problem(r, State::Running)) {
            destroy_instance(r);
            disable(r, *problem);
            continue;
        }
        // A crash in start is restarted (its restart may race this loop).
        std::lock_guard life(r.lifecycle);
        {
            std::lock_guard lock(mutex_);
            r.restartable = true;
        }
        if (auto error = call_start(table_of(r))) {
            destroy_instance(r);  // from here on, no crash report is still on its way
            fail(r, "start", error->message);  // no-op when the crash report came first
            if (error->crashed) report_crash(r, error->message);
            continue;
        }
        if (advance(r, State::Running)) mark_started(id);
    }
}

void PluginManager::stop() {
    cancel_restarts();
    const std::vector<std::string> started = start_order();
    for (auto it = started.rbegin(); it != started.rend(); ++it) {
        PluginRecord& r = *find(*it);
        if (state_of(r) == State::Running && advance(r, State::Stopping)) stop_one(r);
    }
    // Destroy only after every stop: a plugin stopped early may still be
    // referenced by one that stopped later. Same reverse order.
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
        PluginRecord& r = *find(*it);
        const State s = state_of(r);
        if (s == State::Loaded || s == State::Initialized) advance(r, State::Stopped);  // never started
        destroy_instance(r);
    }
}

void PluginManager::stop_one(PluginRecord& r) {
    const cowork_plugin* t = r.instance.table;
    const auto deadline = options_.stop_deadline;
    const auto deadline_ms = static_cast<uint32_t>(deadline.count());
    auto call = [t, deadline_ms](const cowork_sink* e) { return t->stop ? t->stop(t->self, deadline_ms, e) : COWORK_OK; };
    std::optional<CallError> error;
    if (r.manifest->runtime.threading == "main") {
        // Main-thread plugins (the UI) must be called here; their deadline is
        // theirs to keep, the kernel cannot take the main thread back.
        error = invoke(call);
    } else {
        // The helper keeps the library mapped through its own owner copy.
        auto done = std::make_shared<std::promise<std::optional<CallError>>>();
        auto outcome = done->get_future();
        std::thread helper([call, done, keep = r.instance.owner] { done->set_value(invoke(call)); });
        if (outcome.wait_for(deadline) != std::future_status::ready) {
            helper.detach();  // abandoned: it may finish later or never
            r.abandoned = true;
            return fail(r, "stop", "did not stop within " + std::to_string(deadline.count()) + " ms");
        }
        helper.join();
        error = outcome.get();
    }
    if (error) fail(r, "stop", error->message);
    else advance(r, State::Stopped);
}

// ---------------------------------------------------------------- queries --

Json PluginManager::snapshot() const {
    std::lock_guard lock(mutex_);
    Json list = Json::array();
    for (const auto& r : records_) {
        const Manifest* m = r->manifest ? &*r->manifest : nullptr;
        list.push_back({{"id", r->id()},
                        {"version", m ? Json(m->version) : Json()},
                        {"type", m ? Json(m->type) : Json()},
                        {"state", to_string(r->state())},
                        {"phase", r->phase()},
                        {"reason", r->reason()},
                        {"restarts", r->restarts},
                        {"lastCrash", r->last_crash.empty() ? Json() : Json(r->last_crash)},
                        {"root", r->where().root.path.string()},
                        {"rootKind", r->where().root.kind},
                        {"dir", r->where().dir.string()},
                        {"provides", m ? Json(m->provides) : Json::array()}});
    }
    for (const auto& s : shadowed_) {
        list.push_back({{"id", s.candidate.id},
                        {"version", nullptr},
                        {"type", nullptr},
                        {"state", "Shadowed"},
                        {"phase", "discover"},
                        {"reason", "shadowed by " + s.winner.string()},
                        {"restarts", 0},
                        {"lastCrash", nullptr},
                        {"root", s.candidate.root.path.string()},
                        {"rootKind", s.candidate.root.kind},
                        {"dir", s.candidate.dir.string()},
                        {"provides", Json::array()}});
    }
    return list;
}

std::optional<PluginStatus> PluginManager::status(const std::string& id) const {
    const PluginRecord* r = find(id);
    if (!r) return std::nullopt;
    std::lock_guard lock(mutex_);
    return PluginStatus{r->state(), r->phase(), r->reason(), r->restarts, r->last_crash};
}

const void* PluginManager::interface(const std::string& plugin_id, const std::string& iface_id) const {
    const PluginRecord* r = find(plugin_id);
    if (!r) return nullptr;
    const cowork_plugin* t = nullptr;
    {
        // A plugin that is down (crashed, restarting) hands out nothing. If
        // it dies right after this, its instance stays allocated (retired),
        // so the call below fails instead of touching freed memory.
        std::lock_guard lock(mutex_);
        if (r->state() != State::Running) return nullptr;
        t = r->instance.table;
    }
    if (!t) return nullptr;
    const auto& provides = r->manifest->provides;
    if (std::find(provides.begin(), provides.end(), iface_id) == provides.end()) return nullptr;
    try {
        return t->get_interface ? t->get_interface(t->self, iface_id.c_str()) : nullptr;
    } catch (...) {
        return nullptr;
    }
}

std::vector<std::pair<std::string, const void*>> PluginManager::find_interfaces(const std::string& iface_id) const {
    std::vector<std::pair<std::string, const void*>> found;
    for (const auto& id : start_order())
        if (const void* table = interface(id, iface_id)) found.emplace_back(id, table);
    return found;
}

std::vector<std::string> PluginManager::start_order() const {
    std::lock_guard lock(mutex_);
    return started_;
}

// --------------------------------------------------------- crash restarts --

Result<Instance> PluginManager::create_instance(PluginRecord& r) {
    const Manifest& m = *r.manifest;
    Runtime* runtime = runtimes_.at(m.runtime.kind);  // load_one checked it exists
    unsigned generation = 0;
    {
        std::lock_guard lock(mutex_);
        generation = ++r.generation;
    }
    return runtime->create(m, r.host, [this, id = m.id, generation](const std::string& reason) {
        on_crash(id, generation, reason);
    });
}

// [relay thread] Records the crash and, once start was called, schedules
// a restart. Never calls into a plugin: destroy joins this very thread.
void PluginManager::on_crash(const std::string& id, unsigned generation, const std::string& reason) {
    std::lock_guard lock(mutex_);
    PluginRecord* r = find(id);
    if (!r || r->generation != generation) return;  // about an instance a restart already replaced
    const State s = r->state();
    if (s == State::Stopped || s == State::Disabled) return;
    crashed(*r, reason);
}

// [main] start failed because the instance died, and its instance is
// already destroyed, so the handler may never have run.
void PluginManager::report_crash(PluginRecord& r, const std::string& reason) {
    std::lock_guard lock(mutex_);
    crashed(r, reason);
}

// One death, counted once per instance whoever reports it first (the
// handler, or the call it interrupted): the backoff counts failures.
void PluginManager::crashed(PluginRecord& r, const std::string& reason) {
    if (r.crash_counted == r.generation) return;
    r.crash_counted = r.generation;
    (void)r.fail(phase_in_flight(r), reason);  // keeps the cause if a failed call reported first
    r.last_crash = reason;
    spdlog::error("plugin {} crashed: {}", r.id(), reason);
    if (r.restartable && !stopping_) supervisor_for(r).on_crash(reason);
}

Supervisor& PluginManager::supervisor_for(PluginRecord& r) {
    auto& slot = supervisors_[r.id()];
    if (!slot)
        slot = std::make_unique<Supervisor>(
            r.id(), BackoffPolicy(options_.restart_backoff), [this, &r] { return restart(r); },
            [this, id = r.id()](const std::string& last_reason) { give_up(id, last_reason); });
    return *slot;
}

// [Supervisor thread] One restart attempt. An error counts as another
// failure for the backoff; the record is left Failed with the reason.
Status PluginManager::restart(PluginRecord& r) {
    std::lock_guard life(r.lifecycle);
    destroy_instance(r);  // the dead one: reaps its child
    if (stopping()) return make_error("plugin.restart", "the kernel is stopping");
    // A failed create leaves the record Failed with the crash that took it down.
    auto created = create_instance(r);
    if (!created) return std::move(created).error();
    {
        std::lock_guard lock(mutex_);
        if (r.instance.owner) r.retired.push_back(std::move(r.instance.owner));  // old tables stay valid memory
        r.instance = std::move(created).value();
        if (auto reopened = r.reopen(); !reopened) {
            spdlog::error("{}", reopened.error().message);
            return reopened;  // the instance is left for stop() to destroy
        }
    }
    if (auto error = bring_up(r)) {
        destroy_instance(r);
        fail(r, error->phase, error->message);
        if (error->crashed) {
            std::lock_guard lock(mutex_);
            r.last_crash = error->message;
        }
        // Returned, not reported: the Supervisor counts this as the failure.
        return make_error("plugin.restart", error->message);
    }
    unsigned restarts = 0;
    {
        std::lock_guard lock(mutex_);
        restarts = ++r.restarts;
    }
    mark_started(r.id());  // it may have crashed in its first start
    spdlog::info("plugin {} restarted (restart #{})", r.id(), restarts);
    return ok_status();
}

std::optional<PluginManager::StepError> PluginManager::bring_up(PluginRecord& r) {
    struct Step {
        const char* phase;
        std::optional<CallError> (*call)(const cowork_plugin*);
        std::optional<State> reaches;
    };
    static constexpr Step steps[] = {{"init", &call_init, State::Initialized},
                                     {"on_all_initialized", &call_all_initialized, std::nullopt},
                                     {"start", &call_start, State::Running}};
    const cowork_plugin* t = table_of(r);
    for (const Step& step : steps) {
        // stop() is waiting for this restart: give up the attempt quickly.
        if (stopping()) return StepError{"run", "restart cancelled: the kernel is stopping"};
        if (auto error = step.call(t)) return StepError{step.phase, error->message, error->crashed};
        // advance refuses when a crash report already failed the record.
        if (step.reaches && !advance(r, *step.reaches))
            return StepError{step.phase, std::string("crashed during ") + step.phase};
    }
    return std::nullopt;
}

// [Supervisor thread] The policy ran out: the plugin stays down.
void PluginManager::give_up(const std::string& id, const std::string& last_reason) {
    std::lock_guard lock(mutex_);
    PluginRecord* r = find(id);
    if (!r || stopping_) return;
    const auto& policy = options_.restart_backoff;
    const std::string verdict = "gave up after " + std::to_string(policy.max_restarts) + " restarts in " +
                                describe_window(policy.window) + ": " + last_reason;
    (void)r->replace_failure("run", verdict);
    spdlog::error("plugin {} failed (run): {}", id, verdict);
}

// Before stopping anything: a restart must not bring a plugin back up
// underneath stop(). Supervisors are destroyed outside the mutex because
// they wait for a restart in progress, which takes it.
void PluginManager::cancel_restarts() {
    std::map<std::string, std::unique_ptr<Supervisor>> supervisors;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        supervisors.swap(supervisors_);
    }
    supervisors.clear();
}

}  // namespace cowork::kernel::plugins
