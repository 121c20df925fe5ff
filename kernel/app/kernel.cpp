#include "app/kernel_impl.hpp"

#include "app/http_service.hpp"
#include "app/plugin_services.hpp"
#include "core/log.hpp"
#include "core/redactor.hpp"
#include "plugins/verifier.hpp"
#include "scheduler/iso8601.hpp"
#include "secrets/key_source.hpp"
#include "storage/kernel_schema.hpp"

#include <set>

namespace cowork::kernel::app {

std::string kernel_version() { return "0.1.0"; }

namespace {

std::filesystem::path or_default(const std::string& configured, const std::filesystem::path& fallback) {
    return configured.empty() ? fallback : std::filesystem::path(configured);
}

}  // namespace

// ---------------------------------------------------------------- steps --

Status Kernel::Impl::load_config() {
    config_path = options.config_file.value_or(paths.config_file());
    auto loaded = config::load(config_path);
    if (!loaded) return loaded.error();
    config = std::move(loaded->config);
    config_warnings = std::move(loaded->warnings);
    if (!config.kernel.data_dir.empty()) paths.data_dir = config.kernel.data_dir;
    return ok_status();
}

void Kernel::Impl::setup_logging() const {
    LogOptions lo;
    lo.file = paths.state_dir / (options.role == "cli" ? "cowork-cli.log" : "coworkd.log");
    lo.level = options.log_level.empty() ? config.kernel.log_level : options.log_level;
    lo.console = options.console_log;
    kernel::setup_logging(lo);
    for (const auto& w : config_warnings) logger()->warn("{}", w.to_string());
}

Status Kernel::Impl::open_storage() {
    storage::Migrations migrations;
    for (auto set : {storage::kernel_migrations(), scheduler_migrations()})
        if (auto st = migrations.add(std::move(set)); !st) return st.error();
    for (auto set : {outbox::outbox_migrations(), cron::cron_migrations()})
        if (auto st = migrations.add(std::move(set)); !st) return st.error();
    if (auto st = migrations.add(channels::channel_migrations()); !st) return st.error();
    auto opened = storage::Database::open({.path = paths.database()}, migrations);
    if (!opened)
        return make_error(opened.error().code, "cannot open " + paths.database().string() + ": " + opened.error().message +
                                                   " (check the disk and permissions; `cowork doctor` explains more)");
    db = std::move(opened).value();
    plugin_states = std::make_unique<storage::PluginStateRepo>(*db);
    return ok_status();
}

// Secrets are optional for booting: without a usable key the kernel runs,
// plugins that need secrets get a clear error, and doctor says how to fix it.
void Kernel::Impl::open_secrets() {
    secrets::KeySourceOptions ko;
    ko.kind = config.secrets.key_source;
    ko.keyfile = or_default(config.secrets.keyfile, paths.data_dir / "secrets.key");
    ko.kdf_params_file = or_default(config.secrets.passphrase_params, paths.data_dir / "secrets.kdf.json");
    auto key = secrets::load_key(ko);
    if (!key) {
        secrets_problem = key.error().message;
        logger()->error("secrets unavailable: {}", secrets_problem);
        return;
    }
    secrets = std::make_unique<secrets::SecretStore>(std::move(*key), std::make_shared<SecureSettingsBackend>(*db));
    for (const auto& bad : secrets->register_all_with_redactor())
        logger()->warn("secret {} cannot be opened with the current key (tampered or sealed with another key)", bad);
}

Status Kernel::Impl::build_policy() {
    audit = std::make_shared<AuditLogSink>(*db);
    auto rules = policy::PolicyRules::with_builtin(config.policy_table());
    if (!rules) return rules.error();
    auto engine = policy::PolicyEngine::create(std::move(*rules), audit);
    if (!engine) return engine.error();
    policy = std::move(engine).value();
    return ok_status();
}

void Kernel::Impl::start_bus_and_scheduler() {
    pool = std::make_unique<asio::thread_pool>(2);
    bus = std::make_unique<bus::EventBus>(pool->get_executor());
    bus_service = std::make_unique<bus::BusService>(*bus);
    timers = std::make_unique<scheduler::TimerService>(pool->get_executor());
    scheduler_service = std::make_unique<scheduler::SchedulerService>(*timers);
    job_store = std::make_unique<SqliteJobStore>(*db);
    // A due job is announced on the bus; whoever owns the job (the cron
    // service, a plugin) acts on it. The scheduler itself stays generic.
    jobs = std::make_unique<scheduler::JobScheduler>(*job_store, clock, [this](const scheduler::JobRun& run) {
        (void)bus->publish("scheduler.job.due", Json{{"job", run.job.to_json()},
                                                     {"scheduledFor", scheduler::format_iso8601(run.scheduled_for)},
                                                     {"catchUp", run.catch_up}});
    });
    if (auto st = jobs->load(); !st) logger()->warn("scheduler: {}", st.error().message);
    if (options.plugin_stage == PluginStage::Running) {
        jobs_driver = std::make_unique<scheduler::JobSchedulerDriver>(*jobs, *timers, clock);
        jobs_driver->start();
    }
}

Result<const cowork_host*> Kernel::Impl::host_for(const plugins::Manifest& manifest) {
    auto table = std::make_unique<HostTable>(manifest.id, paths.data_dir / "plugin-data" / manifest.id);
    auto log = make_log_service(manifest.id);
    table->offer(COWORK_SERVICE_LOG, log.get(), log);
    table->offer(COWORK_SERVICE_BUS, bus_service->table_for(manifest.id));
    table->offer(COWORK_SERVICE_SCHEDULER, scheduler_service->table_for(manifest.id));
    offer_plugin_services(*table, manifest, ServiceDeps{*db, secrets.get(), *policy, api, config});
    offer_http_service(*table, manifest, *policy);  // cowork.http/1, gated by net:connect
    const cowork_host* host = table->host();
    hosts[manifest.id] = std::move(table);
    manifests[manifest.id] = manifest;
    return host;
}

void Kernel::Impl::start_plugins() {
    plugins::ManagerOptions mo;
    std::vector<std::filesystem::path> extra(options.plugin_dirs.begin(), options.plugin_dirs.end());
    for (const auto& d : config.kernel.plugin_dirs) extra.emplace_back(d);
    mo.roots = plugins::standard_roots(executable_dir(), paths.user_plugins(), extra);
    mo.schema_path = executable_dir().parent_path() / "share/cowork/cowork.plugin.schema.json";
    mo.disabled = {config.kernel.disabled_plugins.begin(), config.kernel.disabled_plugins.end()};
    if (auto states = plugin_states->list())
        for (const auto& s : *states)
            if (s.enabled) (*s.enabled ? mo.enabled : mo.disabled).insert(s.plugin_id);
    for (const auto& id : mo.enabled) mo.disabled.erase(id);
    for (const auto& id : config.kernel.disabled_plugins) mo.disabled.insert(id);  // config wins over CLI toggles
    mo.kernel_version = kernel_version();
    mo.stop_deadline = std::chrono::milliseconds(config.kernel.stop_deadline_ms);

    inprocess = std::make_unique<plugins::InProcessRuntime>();
    process = std::make_unique<process::ProcessRuntime>();
    plugins = std::make_unique<plugins::PluginManager>(
        std::move(mo), plugins::RuntimeMap{{"inprocess", inprocess.get()}, {"process", process.get()}},
        [this](const plugins::Manifest& m) { return host_for(m); });
    plugins->discover();
    plugins->read();
    plugins->resolve();
    plugins->load();
    plugins->init();
    if (options.plugin_stage == PluginStage::Running) plugins->start();
    if (options.role != "cli") persist_plugin_states();
}

// The agent runtime: built before the API methods (they use it), finds
// tools and LLMs lazily through the plugin manager, so plugins that start
// later are seen. Unfinished tasks of a dead kernel become `interrupted`.
void Kernel::Impl::start_agent() {
    agent::InterfaceFinder finder = [this](const std::string& iface) {
        return plugins ? plugins->find_interfaces(iface) : std::vector<std::pair<std::string, const void*>>{};
    };
    const auto& c = config.agent;
    agent::Settings s;
    s.max_concurrent_tasks = static_cast<int>(c.max_concurrent_tasks);
    s.default_provider = c.default_provider;
    s.default_model = c.default_model;
    s.fallback = c.fallback;
    s.approval_timeout = std::chrono::seconds(c.approval_timeout_s);
    s.budget = {c.max_iterations, c.max_tokens, c.max_cost_usd, c.max_wall_time_s};
    s.daily_cost_cap_usd = c.daily_cost_cap_usd;
    s.tool_output_cap_bytes = static_cast<size_t>(c.tool_output_cap_bytes);
    s.context_window = c.context_window;
    tools = std::make_unique<agent::ToolRegistry>(finder, *policy, s.tool_output_cap_bytes);
    llm = std::make_unique<agent::PluginLlmClient>(finder, c.fallback);
    auto runtime = agent::AgentRuntime::create(
        agent::RuntimeDeps{*db, bus.get(), *tools, *llm, paths.data_dir / "agent" / "runtimes"}, s);
    if (!runtime) {
        agent_problem = runtime.error().message;
        logger()->error("agent runtime unavailable: {}", agent_problem);
        return;
    }
    agent = std::move(runtime).value();
    if (auto swept = agent->recover(); !swept) logger()->warn("agent: boot sweep: {}", swept.error().message);
}

void Kernel::Impl::persist_plugin_states() {
    for (const auto& p : plugins->snapshot()) {
        storage::PluginState s;
        s.plugin_id = p.value("id", "");
        if (auto prev = plugin_states->get(s.plugin_id); prev && *prev) s.enabled = (*prev)->enabled;
        s.state = p.value("state", "");
        const std::string reason = p.value("reason", "");
        if (!reason.empty()) s.reason = reason;
        (void)plugin_states->upsert(std::move(s));
    }
}

Json Kernel::Impl::plugin_counts() const {
    Json counts{{"running", 0}, {"initialized", 0}, {"failed", 0}, {"disabled", 0}, {"other", 0}, {"total", 0}};
    if (!plugins) return counts;
    for (const auto& p : plugins->snapshot()) {
        const std::string s = p.value("state", "");
        if (s == "Shadowed") continue;
        counts["total"] = counts["total"].get<int>() + 1;
        const char* key = s == "Running" ? "running" : s == "Initialized" ? "initialized" : s == "Failed" ? "failed"
                          : s == "Disabled" ? "disabled" : "other";
        counts[key] = counts[key].get<int>() + 1;
    }
    return counts;
}

void Kernel::Impl::register_methods() {
    register_system_methods(*this);
    register_plugin_methods(*this);
    register_secret_methods(*this);
    register_tool_methods(*this);
    register_task_methods(*this);
    register_skill_methods(*this);
    register_provider_methods(*this);
    register_cron_methods(*this);
    register_channel_methods(*this);
}

void Kernel::Impl::shutdown() {
    if (stopped || !booted) return;
    stopped = true;
    logger()->info("shutting down");
    if (bus) (void)bus->publish("shutdown", Json{{"reason", "stop requested"}});
    if (jobs_driver) jobs_driver->stop();
    if (cron_driver) cron_driver->stop();  // no new cron runs; running tasks end with the agent
    if (outbox_worker) outbox_worker->stop();
    if (agent) agent->stop();  // running tasks end `interrupted` while their plugins still answer
    if (channels) channels->stop();  // close every channel instance while its plugin still answers
    if (plugins) {
        remove_plugin_api_methods(*this);  // no call reaches a plugin that is stopping
        plugins->stop();  // exact reverse of start, each within its deadline
        for (const auto& [id, host] : hosts) {
            bus_service->drop_owner(id);
            scheduler_service->drop_owner(id);
        }
        if (options.role != "cli") persist_plugin_states();
    }
    if (pool) pool->join();
    if (db) db->close();
    logger()->info("stopped");
    spdlog::default_logger()->flush();
}

// --------------------------------------------------------------- Kernel --

Kernel::Kernel(KernelOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->paths = resolve_paths();
}

Kernel::~Kernel() { shutdown(); }

Status Kernel::boot() {
    auto& k = *impl_;
    k.boot_started = std::chrono::steady_clock::now();
    if (auto st = k.load_config(); !st) return st;
    k.setup_logging();
    logger()->info("coworkd {} starting (config {}, data {})", kernel_version(), k.config_path.string(),
                   k.paths.data_dir.string());
    if (auto st = k.open_storage(); !st) return st;
    k.open_secrets();
    if (auto st = k.build_policy(); !st) return st;
    k.start_bus_and_scheduler();
    k.start_agent();
    k.start_outbox();
    k.register_methods();
    k.booted = true;
    k.start_plugins();
    register_plugin_api_methods(k);
    k.start_channels();
    k.start_cron();
    const Json counts = k.plugin_counts();
    logger()->info("ready: {} plugins running, {} failed, {} disabled", counts["running"].get<int>(),
                   counts["failed"].get<int>(), counts["disabled"].get<int>());
    (void)k.bus->publish("kernel.ready", counts);
    return ok_status();
}

void Kernel::shutdown() { impl_->shutdown(); }

api::Api& Kernel::api() { return impl_->api; }

Json Kernel::ready_report() const {
    const Json counts = impl_->plugin_counts();
    std::string summary = std::to_string(counts["running"].get<int>() + counts["initialized"].get<int>()) + " of " +
                          std::to_string(counts["total"].get<int>()) + " plugins up";
    if (counts["failed"].get<int>()) summary += ", " + std::to_string(counts["failed"].get<int>()) + " failed";
    if (counts["disabled"].get<int>()) summary += ", " + std::to_string(counts["disabled"].get<int>()) + " disabled";
    summary += " (cowork plugins list)";
    return {{"summary", summary},
            {"plugins", counts},
            {"config", impl_->config_path.string()},
            {"database", impl_->paths.database().string()},
            {"secrets", impl_->secrets ? "ok" : impl_->secrets_problem}};
}

}  // namespace cowork::kernel::app
