// kernel/config/config.hpp — the typed contents of cowork.toml.
//
// Defaults here are the defaults everywhere: the generated file documents
// them and parses back to exactly this struct (a test holds us to that).
#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cowork::kernel::config {

struct KernelConfig {
    std::string log_level = "info";              // trace|debug|info|warn|error|off
    std::string data_dir;                        // empty: $XDG_DATA_HOME/cowork (or $COWORK_HOME)
    std::vector<std::string> plugin_dirs;        // searched after the bundled and user plugin dirs
    std::vector<std::string> disabled_plugins;   // plugin ids never loaded
    int64_t stop_deadline_ms = 5000;             // per-plugin stop() budget at shutdown
};

struct GuardrailsConfig {
    std::vector<std::string> blocked_commands;   // added to the built-in patterns
    std::vector<std::string> allowed_domains;    // non-empty: only these hosts
    std::vector<std::string> blocked_domains;
    std::string default_side_effecting = "ask";  // allow|ask|deny when no rule matches
    std::string default_read_only = "allow";
    std::string default_plugin_permission = "allow";
};

struct SecretsConfig {
    std::string key_source = "keyfile";          // keyfile|passphrase|systemd-credential
    std::string keyfile;                         // empty: <data_dir>/secrets.key
    std::string passphrase_params;               // empty: <data_dir>/secrets.kdf.json
};

struct ListenerConfig {
    std::string bind = "127.0.0.1";
    int64_t port = 0;
};

struct SchedulerConfig {
    std::string missed_run_policy = "run_once";  // run_once|skip
    int64_t jitter_ms = 0;
    int64_t max_concurrent_cron_runs = 4;  // cron runs in flight at once; more are skipped (docs/cron.md)
};

// The agent runtime (kernel/agent, docs/tasks.md). 0 means "no limit" for
// the budgets and the daily cap.
struct AgentConfig {
    int64_t max_concurrent_tasks = 8;            // tasks running at once; more wait queued
    std::string default_provider;                // LLM plugin id; empty: the first running one
    std::string default_model;                   // empty: the provider's first listed model
    std::vector<std::string> fallback;           // ["llm.x:model", …] tried when a call fails
    int64_t approval_timeout_s = 300;            // an unanswered approval is denied after this
    int64_t max_iterations = 50;                 // LLM turns per task
    int64_t max_tokens = 2000000;                // input + output tokens per task
    double max_cost_usd = 5.0;                   // per task
    double daily_cost_cap_usd = 0;               // all tasks, per UTC day
    int64_t max_wall_time_s = 3600;              // per task, while running
    int64_t tool_output_cap_bytes = 32768;       // larger tool output keeps head + tail
    int64_t context_window = 128000;             // tokens, when the provider does not say
};

struct Config {
    KernelConfig kernel;
    GuardrailsConfig guardrails;
    SecretsConfig secrets;
    ListenerConfig control_plane{"127.0.0.1", 18789};
    ListenerConfig hooks{"127.0.0.1", 9877};
    SchedulerConfig scheduler;
    AgentConfig agent;
    std::map<std::string, Json> plugins;    // [plugins."<id>"]: handed to the plugin as its config
    std::map<std::string, Json> providers;  // [providers.<name>]: read by LLM plugins
    Json policy = Json::object();           // [policy]: contexts / tool_rules (see policy/rules.hpp)

    std::filesystem::path file;             // where it was read from (empty: built in)

    // The table PolicyRules::from_json reads: [guardrails] + [policy].
    Json policy_table() const;
};

// plugin id -> names of its config fields flagged `"secret": true` in the
// manifest's configSchema.
using SecretFields = std::map<std::string, std::vector<std::string>>;

// Top-level `properties.<name>.secret == true` of a configSchema.
std::vector<std::string> secret_fields_from_schema(const Json& config_schema);

enum class Sanitize { no, yes };

// Sanitize::yes replaces the value of every key named like a secret
// (…key, …token, …secret, …password, …passphrase, …credential(s); camelCase
// or snake_case) and every SecretFields entry with "[set]" or "[unset]".
Json to_json(const Config& config, Sanitize sanitize, const SecretFields& secret_fields = {});

// Does this key name look like it holds a secret?
bool is_secret_key_name(std::string_view name);

}  // namespace cowork::kernel::config
