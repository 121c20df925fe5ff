// kernel/app/kernel_impl.hpp — the kernel's parts, in construction order.
//
// Members are destroyed in reverse declaration order, which is the shutdown
// order we want: the plugin manager (and with it every plugin instance) goes
// first, then the hosts and services they used, then storage last.
#pragma once

#include "agent/agent_runtime.hpp"
#include "agent/plugin_llm_client.hpp"
#include "agent/tool_registry.hpp"
#include "app/host_table.hpp"
#include "app/kernel.hpp"
#include "app/sqlite_job_store.hpp"
#include "app/storage_adapters.hpp"
#include "channels/channel_registry.hpp"
#include "bus/bus_service.hpp"
#include "bus/event_bus.hpp"
#include "config/load.hpp"
#include "core/asio.hpp"
#include "core/paths.hpp"
#include "cron/cron_driver.hpp"
#include "cron/cron_service.hpp"
#include "outbox/outbox_worker.hpp"
#include "plugins/inprocess_runtime.hpp"
#include "plugins/manager.hpp"
#include "policy/engine.hpp"
#include "process/process_runtime.hpp"
#include "scheduler/job_scheduler.hpp"
#include "scheduler/job_scheduler_driver.hpp"
#include "scheduler/scheduler_service.hpp"
#include "scheduler/timer_service.hpp"
#include "secrets/secret_store.hpp"
#include "storage/database.hpp"
#include "storage/plugin_state_repo.hpp"

#include <chrono>
#include <map>
#include <memory>

namespace cowork::kernel::app {

struct Kernel::Impl {
    KernelOptions options;
    Paths paths;
    std::filesystem::path config_path;
    config::Config config;
    std::vector<config::Problem> config_warnings;
    std::chrono::steady_clock::time_point boot_started;

    std::unique_ptr<asio::thread_pool> pool;  // the kernel's executor (§4)
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<storage::PluginStateRepo> plugin_states;

    std::unique_ptr<secrets::SecretStore> secrets;
    std::string secrets_problem;  // why secrets is null, for doctor

    std::shared_ptr<AuditLogSink> audit;
    std::unique_ptr<policy::PolicyEngine> policy;

    std::unique_ptr<bus::EventBus> bus;
    std::unique_ptr<bus::BusService> bus_service;

    std::unique_ptr<scheduler::TimerService> timers;
    std::unique_ptr<scheduler::SchedulerService> scheduler_service;
    std::unique_ptr<SqliteJobStore> job_store;
    scheduler::SystemClock clock;
    std::unique_ptr<scheduler::JobScheduler> jobs;
    std::unique_ptr<scheduler::JobSchedulerDriver> jobs_driver;

    api::Api api;

    std::map<std::string, std::unique_ptr<HostTable>> hosts;  // by plugin id
    std::map<std::string, plugins::Manifest> manifests;       // of every plugin that reached load
    std::unique_ptr<plugins::InProcessRuntime> inprocess;
    std::unique_ptr<process::ProcessRuntime> process;
    std::unique_ptr<plugins::PluginManager> plugins;

    // Channel instances (docs/channels.md): declared after the plugin
    // manager, so they are gone before it; shutdown closes them before
    // plugins stop.
    std::unique_ptr<channels::ChannelRepo> channel_repo;
    std::unique_ptr<channels::ManagerChannelPlugins> channel_plugins;
    std::unique_ptr<channels::ChannelRegistry> channels;

    // The agent runtime uses plugin tables: it goes before the plugins do.
    std::unique_ptr<agent::ToolRegistry> tools;
    std::unique_ptr<agent::PluginLlmClient> llm;
    std::unique_ptr<agent::AgentRuntime> agent;
    std::string agent_problem;  // why agent is null, for doctor and task.create

    // The outbox and the cron service (docs/cron.md; methods_cron.cpp) start
    // tasks through the API: declared after the agent, so they go first.
    std::unique_ptr<outbox::Outbox> outbox;  // channels install its sender
    std::unique_ptr<outbox::OutboxWorker> outbox_worker;  // coworkd only
    std::unique_ptr<cron::CronService> cron;
    std::unique_ptr<cron::CronDriver> cron_driver;  // coworkd only
    std::string cron_problem;  // why cron is null

    bool booted = false;
    bool stopped = false;
    std::vector<std::string> plugin_api_methods;  // registered from manifests' "api" (methods_from_plugins.cpp)

    Status load_config();
    void setup_logging() const;
    Status open_storage();
    void open_secrets();
    Status build_policy();
    void start_bus_and_scheduler();
    void start_plugins();
    void start_agent();
    void start_outbox();  // methods_cron.cpp
    void start_cron();    // methods_cron.cpp
    void start_channels();  // methods_channels.cpp
    Result<const cowork_host*> host_for(const plugins::Manifest& manifest);
    void persist_plugin_states();
    void register_methods();
    void shutdown();

    Json plugin_counts() const;
};

// API method groups, one file each.
void register_system_methods(Kernel::Impl& k);
void register_plugin_methods(Kernel::Impl& k);
void register_secret_methods(Kernel::Impl& k);
void register_tool_methods(Kernel::Impl& k);
void register_task_methods(Kernel::Impl& k);
void register_skill_methods(Kernel::Impl& k);
void register_provider_methods(Kernel::Impl& k);
void register_cron_methods(Kernel::Impl& k);
void register_channel_methods(Kernel::Impl& k);
// After plugins started / before they stop: methods plugins declare in "api".
void register_plugin_api_methods(Kernel::Impl& k);
void remove_plugin_api_methods(Kernel::Impl& k);
// `doctor`: every check with status ok|warn|fail, detail and fix.
Json run_doctor(Kernel::Impl& k);

}  // namespace cowork::kernel::app
