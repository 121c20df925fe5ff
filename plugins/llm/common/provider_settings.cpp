#include "provider_settings.hpp"

#include <cstdlib>

namespace cowork::llm_common {
namespace {

std::optional<std::string> found(const std::function<std::optional<std::string>(const std::string&)>& lookup,
                                 const std::string& key) {
    if (!lookup) return std::nullopt;
    auto v = lookup(key);
    return v && !v->empty() ? v : std::nullopt;
}

std::string joined(const std::vector<std::string>& names, const char* sep) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : sep) + n;
    return out;
}

}  // namespace

Lookups Lookups::of(const sdk::Host& host) {
    Lookups l;
    l.secret = [&host](const std::string& key) -> std::optional<std::string> {
        try {
            return host.secret(key);
        } catch (const std::exception&) {
            return std::nullopt;  // not stored, denied, or no secret store: fall back
        }
    };
    l.env = [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        return v ? std::optional<std::string>(v) : std::nullopt;
    };
    return l;
}

std::string secret_key_for(const std::string& plugin_id) { return "plugin." + plugin_id + ".api_key"; }

ApiKey find_api_key(const Lookups& lookups, const std::string& secret_key, const Json& table,
                    const std::vector<std::string>& env_names) {
    if (auto v = found(lookups.secret, secret_key)) return {*v, "secret " + secret_key};
    if (auto v = string_setting(table, "api_key"); !v.empty()) return {v, "config api_key"};
    for (const auto& name : env_names)
        if (!name.empty())
            if (auto v = found(lookups.env, name)) return {*v, "environment variable " + name};
    const std::string env = joined(env_names, " or ");
    return {"", "none found: set secret " + secret_key + (env.empty() ? "" : " or " + env)};
}

sdk::Error missing_key_error(const std::string& provider, const std::string& plugin_id,
                             const std::vector<std::string>& env_names) {
    const std::string env = joined(env_names, " or ");
    return {COWORK_E_FAILED, "auth",
            "no " + provider + " API key: set it with `cowork secrets set " + secret_key_for(plugin_id) +
                "` (the api_key setting of " + plugin_id + ")" + (env.empty() ? "" : " or export " + env)};
}

std::string resolve_base_url(const Json& table, const Lookups& lookups, const std::vector<std::string>& env_names,
                             const std::string& fallback) {
    std::string url = string_setting(table, "base_url");
    for (const auto& name : env_names)
        if (url.empty()) url = found(lookups.env, name).value_or("");
    if (url.empty()) url = fallback;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

std::string string_setting(const Json& table, const char* key) {
    if (!table.is_object()) return {};
    auto it = table.find(key);
    return it != table.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json read_config(const sdk::Host& host) {
    try {
        Json config = host.config();
        return config.is_object() ? config : Json::object();
    } catch (const std::exception&) {
        return Json::object();  // no config service: defaults and env only
    }
}

sdk::llm::RetryPolicy CommonSettings::retry_policy() const {
    sdk::llm::RetryPolicy p;
    p.max_retries = max_retries;
    return p;
}

CommonSettings read_common_settings(const Json& config) {
    CommonSettings s;
    if (!config.is_object()) return s;
    s.max_retries = config.value("max_retries", 3);
    s.timeout_ms = config.value("timeout_s", 600) * 1000;
    if (auto it = config.find("models"); it != config.end() && it->is_object()) s.models = *it;
    return s;
}

void EndpointSettings::require_key(const EndpointSpec& spec) const {
    if (key.value.empty()) throw missing_key_error(spec.provider, spec.plugin_id, spec.key_env);
}

EndpointSettings load_endpoint_settings(const Json& config, const Lookups& lookups, const EndpointSpec& spec) {
    EndpointSettings s;
    s.config = config.is_object() ? config : Json::object();
    s.key = find_api_key(lookups, secret_key_for(spec.plugin_id), s.config, spec.key_env);
    s.base_url = resolve_base_url(s.config, lookups, spec.url_env, spec.default_base_url);
    s.common = read_common_settings(s.config);
    return s;
}

EndpointSettings load_endpoint_settings(const sdk::Host& host, const EndpointSpec& spec) {
    return load_endpoint_settings(read_config(host), Lookups::of(host), spec);
}

}  // namespace cowork::llm_common
