// plugins/llm/common/provider_settings.hpp — what every provider plugin reads the same
// way: where its API key comes from (secret → config → environment), which
// endpoint it talks to, and the settings all providers share.
#pragma once

#include <cowork/sdk.hpp>
#include <cowork/sdk/llm/retry.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cowork::llm_common {

using sdk::Json;

// Lookups a plugin does not own, injectable so tests need no real secret
// store or environment. Either may be empty (then it never finds anything).
struct Lookups {
    std::function<std::optional<std::string>(const std::string& key)> secret;  // nullopt: absent or denied
    std::function<std::optional<std::string>(const std::string& name)> env;
    // The kernel's secret store (any error reads as "absent") and getenv.
    static Lookups of(const sdk::Host& host);
};

struct ApiKey {
    std::string value;   // empty: none found
    std::string source;  // where it came from, or where to set it — never the key itself
};

// "plugin.<id>.api_key", the secret a plugin's key is stored under.
std::string secret_key_for(const std::string& plugin_id);

// First match wins: the secret `secret_key`, then `api_key` in `table`, then
// the first of `env_names` that is set. A missing or denied secret is not an
// error: the later sources may still supply a key.
ApiKey find_api_key(const Lookups& lookups, const std::string& secret_key, const Json& table,
                    const std::vector<std::string>& env_names);

// The `auth` error of a call attempted without any key, naming every place
// that was looked at.
sdk::Error missing_key_error(const std::string& provider, const std::string& plugin_id,
                             const std::vector<std::string>& env_names);

// `base_url` in `table`, else the first of `env_names` that is set, else
// `fallback`; without trailing '/'.
std::string resolve_base_url(const Json& table, const Lookups& lookups, const std::vector<std::string>& env_names,
                             const std::string& fallback);

// A string-valued setting, "" when absent or not a string.
std::string string_setting(const Json& table, const char* key);

// The plugin's config table; {} when there is no config service or it is
// not an object. Read fresh per call so config edits apply without a restart.
Json read_config(const sdk::Host& host);

// Settings every provider understands.
struct CommonSettings {
    int max_retries = 3;
    int timeout_ms = 600'000;       // config timeout_s
    Json models = Json::object();   // price/limit overrides by model id
    sdk::llm::RetryPolicy retry_policy() const;
};
CommonSettings read_common_settings(const Json& config);

// What a hosted provider (one endpoint, one key) needs to know about itself.
struct EndpointSpec {
    std::string plugin_id;               // llm.anthropic
    std::string provider;                // "Anthropic", for messages
    std::vector<std::string> key_env;    // env vars holding the key, in order
    std::vector<std::string> url_env;    // env vars overriding the endpoint
    std::string default_base_url;
};

struct EndpointSettings {
    ApiKey key;
    std::string base_url;
    CommonSettings common;
    Json config = Json::object();  // the whole table, for provider-specific keys
    // Throws missing_key_error when no key was found.
    void require_key(const EndpointSpec& spec) const;
};
EndpointSettings load_endpoint_settings(const sdk::Host& host, const EndpointSpec& spec);
EndpointSettings load_endpoint_settings(const Json& config, const Lookups& lookups, const EndpointSpec& spec);

}  // namespace cowork::llm_common
