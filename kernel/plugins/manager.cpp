#include "plugins/manager.hpp"

#include "plugins/error_sink.hpp"
#include "plugins/manifest_reader.hpp"
#include "plugins/resolver.hpp"
#include "plugins/semver.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <thread>

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
std::optional<std::string> invoke(const std::function<cowork_status(const cowork_sink*)>& call) {
    ErrorSink err;
    try {
        const cowork_status status = call(err.sink());
        if (status == COWORK_OK) return std::nullopt;
        return err.message(status);
    } catch (const std::exception& e) {
        return std::string("threw across the C boundary: ") + e.what();
    } catch (...) {
        return std::string("threw across the C boundary");
    }
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
    if (!r.instance.table || r.abandoned) return;
    const cowork_plugin* table = r.instance.table;
    r.instance.table = nullptr;
    try {
        table->destroy(table->self);
    } catch (...) {
        spdlog::error("plugin {}: destroy threw across the C boundary", r.id());
    }
    // r.instance.owner stays: the library is never unmapped while the kernel runs.
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
    const cowork_host* host = *host_or;
    auto on_crash = [this, id = m.id](const std::string& reason) {
        std::lock_guard lock(mutex_);
        if (PluginRecord* crashed = find(id); crashed && !is_final(crashed->state())) {
            (void)crashed->fail("run", reason);
            spdlog::error("plugin {} crashed: {}", id, reason);
        }
    };
    auto instance = runtime->second->create(m, host, on_crash);
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
        const cowork_plugin* t = r.instance.table;
        auto error = t->init ? invoke([t](const cowork_sink* e) { return t->init(t->self, e); }) : std::nullopt;
        if (error) {
            destroy_instance(r);
            fail(r, "init", *error);
        } else {
            advance(r, State::Initialized);
        }
    }
    // Everything is registered: tell them, last-initialized first.
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
        PluginRecord& r = *find(*it);
        if (state_of(r) != State::Initialized) continue;
        const cowork_plugin* t = r.instance.table;
        if (!t->on_all_initialized) continue;
        if (auto error = invoke([t](const cowork_sink* e) { return t->on_all_initialized(t->self, e); })) {
            destroy_instance(r);
            fail(r, "on_all_initialized", *error);
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
        const cowork_plugin* t = r.instance.table;
        auto error = t->start ? invoke([t](const cowork_sink* e) { return t->start(t->self, e); }) : std::nullopt;
        if (error) {
            destroy_instance(r);
            fail(r, "start", *error);
            continue;
        }
        if (advance(r, State::Running)) started_.push_back(id);
    }
}

void PluginManager::stop() {
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
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
    std::optional<std::string> error;
    if (r.manifest->runtime.threading == "main") {
        // Main-thread plugins (the UI) must be called here; their deadline is
        // theirs to keep, the kernel cannot take the main thread back.
        error = invoke(call);
    } else {
        // The helper keeps the library mapped through its own owner copy.
        auto done = std::make_shared<std::promise<std::optional<std::string>>>();
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
    if (error) fail(r, "stop", *error);
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
    return PluginStatus{r->state(), r->phase(), r->reason()};
}

const void* PluginManager::interface(const std::string& plugin_id, const std::string& iface_id) const {
    const PluginRecord* r = find(plugin_id);
    if (!r || state_of(*r) != State::Running || !r->instance.table) return nullptr;
    const auto& provides = r->manifest->provides;
    if (std::find(provides.begin(), provides.end(), iface_id) == provides.end()) return nullptr;
    const cowork_plugin* t = r->instance.table;
    try {
        return t->get_interface ? t->get_interface(t->self, iface_id.c_str()) : nullptr;
    } catch (...) {
        return nullptr;
    }
}

std::vector<std::pair<std::string, const void*>> PluginManager::find_interfaces(const std::string& iface_id) const {
    std::vector<std::pair<std::string, const void*>> found;
    for (const auto& id : started_)
        if (const void* table = interface(id, iface_id)) found.emplace_back(id, table);
    return found;
}

}  // namespace cowork::kernel::plugins
