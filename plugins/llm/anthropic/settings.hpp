// plugins/llm/anthropic/settings.hpp — where llm.anthropic finds its key,
// endpoint and limits: its secret, its config, then the environment.
#pragma once

#include <cowork/sdk.hpp>

#include <string>

namespace cowork::llm_anthropic {

using sdk::Json;

inline constexpr const char* kPluginId = "llm.anthropic";
inline constexpr const char* kSecretKey = "plugin.llm.anthropic.api_key";
inline constexpr const char* kDefaultBaseUrl = "https://api.anthropic.com";
inline constexpr const char* kApiVersion = "2023-06-01";

struct Settings {
    std::string api_key;
    std::string key_source;  // named in auth errors so the user knows what to fix
    std::string base_url;    // without a trailing '/'
    int max_retries = 3;
    int timeout_ms = 600'000;
    int64_t max_tokens = 0;  // 0: derive from the model
    Json models = Json::object();
};

// Read fresh on every call: config edits apply without a restart.
Settings load_settings(const sdk::Host& host);

}  // namespace cowork::llm_anthropic
