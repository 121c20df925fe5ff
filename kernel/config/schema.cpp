#include "config/schema.hpp"

#include <algorithm>

namespace cowork::kernel::config::detail {
namespace {

template <class T>
constexpr Kind kind_of() {
    if constexpr (std::is_same_v<T, bool>) return Kind::boolean;
    else if constexpr (std::is_same_v<T, int64_t>) return Kind::integer;
    else if constexpr (std::is_same_v<T, double>) return Kind::number;
    else if constexpr (std::is_same_v<T, std::string>) return Kind::string;
    else return Kind::string_list;
}

template <class S, class T>
FieldSpec field(std::string section, std::string key, S Config::*sect, T S::*member,
                std::vector<std::string> choices = {}, int64_t min = 0, int64_t max = 0) {
    FieldSpec f{std::move(section), std::move(key), kind_of<T>(), min, max, std::move(choices), {}, {}};
    f.set = [sect, member](Config& c, Value v) { c.*sect.*member = std::get<T>(std::move(v)); };
    f.get = [sect, member](const Config& c) { return Json(c.*sect.*member); };
    return f;
}

const std::vector<std::string> kVerdicts{"allow", "ask", "deny"};

std::vector<FieldSpec> make_fields() {
    return {
        field("kernel", "log_level", &Config::kernel, &KernelConfig::log_level,
              {"trace", "debug", "info", "warn", "error", "off"}),
        field("kernel", "data_dir", &Config::kernel, &KernelConfig::data_dir),
        field("kernel", "plugin_dirs", &Config::kernel, &KernelConfig::plugin_dirs),
        field("kernel", "disabled_plugins", &Config::kernel, &KernelConfig::disabled_plugins),
        field("kernel", "stop_deadline_ms", &Config::kernel, &KernelConfig::stop_deadline_ms, {}, 100, 600000),
        field("guardrails", "blocked_commands", &Config::guardrails, &GuardrailsConfig::blocked_commands),
        field("guardrails", "allowed_domains", &Config::guardrails, &GuardrailsConfig::allowed_domains),
        field("guardrails", "blocked_domains", &Config::guardrails, &GuardrailsConfig::blocked_domains),
        field("guardrails", "default_side_effecting", &Config::guardrails, &GuardrailsConfig::default_side_effecting, kVerdicts),
        field("guardrails", "default_read_only", &Config::guardrails, &GuardrailsConfig::default_read_only, kVerdicts),
        field("guardrails", "default_plugin_permission", &Config::guardrails, &GuardrailsConfig::default_plugin_permission, kVerdicts),
        field("secrets", "key_source", &Config::secrets, &SecretsConfig::key_source,
              {"keyfile", "passphrase", "systemd-credential"}),
        field("secrets", "keyfile", &Config::secrets, &SecretsConfig::keyfile),
        field("secrets", "passphrase_params", &Config::secrets, &SecretsConfig::passphrase_params),
        field("control_plane", "bind", &Config::control_plane, &ListenerConfig::bind),
        field("control_plane", "port", &Config::control_plane, &ListenerConfig::port, {}, 1, 65535),
        field("hooks", "bind", &Config::hooks, &ListenerConfig::bind),
        field("hooks", "port", &Config::hooks, &ListenerConfig::port, {}, 1, 65535),
        field("scheduler", "missed_run_policy", &Config::scheduler, &SchedulerConfig::missed_run_policy, {"run_once", "skip"}),
        field("scheduler", "jitter_ms", &Config::scheduler, &SchedulerConfig::jitter_ms, {}, 0, 3600000),
        field("scheduler", "max_concurrent_cron_runs", &Config::scheduler, &SchedulerConfig::max_concurrent_cron_runs, {}, 1, 64),
        field("agent", "max_concurrent_tasks", &Config::agent, &AgentConfig::max_concurrent_tasks, {}, 1, 64),
        field("agent", "default_provider", &Config::agent, &AgentConfig::default_provider),
        field("agent", "default_model", &Config::agent, &AgentConfig::default_model),
        field("agent", "fallback", &Config::agent, &AgentConfig::fallback),
        field("agent", "approval_timeout_s", &Config::agent, &AgentConfig::approval_timeout_s, {}, 1, 86400),
        field("agent", "max_iterations", &Config::agent, &AgentConfig::max_iterations, {}, 1, 100000),
        field("agent", "max_tokens", &Config::agent, &AgentConfig::max_tokens, {}, 0, 1000000000),
        field("agent", "max_cost_usd", &Config::agent, &AgentConfig::max_cost_usd, {}, 0, 100000),
        field("agent", "daily_cost_cap_usd", &Config::agent, &AgentConfig::daily_cost_cap_usd, {}, 0, 1000000),
        field("agent", "max_wall_time_s", &Config::agent, &AgentConfig::max_wall_time_s, {}, 0, 604800),
        field("agent", "tool_output_cap_bytes", &Config::agent, &AgentConfig::tool_output_cap_bytes, {}, 1024, 4194304),
        field("agent", "context_window", &Config::agent, &AgentConfig::context_window, {}, 1024, 10000000),
    };
}

std::string quoted_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "\"" : ", \"") + s + "\"";
    return out;
}

}  // namespace

std::string FieldSpec::expected() const {
    switch (kind) {
        case Kind::boolean: return "a boolean (true or false)";
        case Kind::integer: return "an integer between " + std::to_string(min) + " and " + std::to_string(max);
        case Kind::number: return "a number between " + std::to_string(min) + " and " + std::to_string(max);
        case Kind::string: return choices.empty() ? "a string" : "one of " + quoted_list(choices);
        case Kind::string_list: return "an array of strings";
    }
    return "a value";
}

std::optional<std::string> FieldSpec::check(const Value& value) const {
    if (kind == Kind::integer) {
        const auto n = std::get<int64_t>(value);
        if (n < min || n > max) return name() + " is " + std::to_string(n) + " but must be " + expected();
    }
    if (kind == Kind::number) {
        const auto n = std::get<double>(value);
        if (!(n >= static_cast<double>(min) && n <= static_cast<double>(max)))
            return name() + " is " + std::to_string(n) + " but must be " + expected();
    }
    if (kind == Kind::string && !choices.empty()) {
        const auto& s = std::get<std::string>(value);
        if (std::find(choices.begin(), choices.end(), s) == choices.end())
            return name() + " is \"" + s + "\" but must be " + expected();
    }
    return std::nullopt;
}

const std::vector<FieldSpec>& fields() {
    static const std::vector<FieldSpec> all = make_fields();
    return all;
}

const FieldSpec* find_field(std::string_view section, std::string_view key) {
    for (const auto& f : fields())
        if (f.section == section && f.key == key) return &f;
    return nullptr;
}

bool is_fixed_section(std::string_view section) {
    return std::any_of(fields().begin(), fields().end(), [&](const auto& f) { return f.section == section; });
}

bool is_passthrough_section(std::string_view section) {
    return section == "plugins" || section == "providers" || section == "policy";
}

std::string known_keys(std::string_view section) {
    std::string out;
    for (const auto& f : fields())
        if (f.section == section) out += (out.empty() ? "" : ", ") + f.key;
    return out;
}

}  // namespace cowork::kernel::config::detail
