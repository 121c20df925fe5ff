// plugins/llm/gemini/settings.hpp — where llm.gemini finds its key,
// endpoint and limits: its secret, its config, then the environment.
#pragma once

#include <cowork/sdk.hpp>

#include <string>

namespace cowork::llm_gemini {

using sdk::Json;

inline constexpr const char* kPluginId = "llm.gemini";
inline constexpr const char* kSecretKey = "plugin.llm.gemini.api_key";
inline constexpr const char* kDefaultBaseUrl = "https://generativelanguage.googleapis.com";

struct Settings {
    std::string api_key;
    std::string key_source;  // named in auth errors so the user knows what to fix
    std::string base_url;    // without a trailing '/'
    std::string api_version = "v1beta";
    int max_retries = 3;
    int timeout_ms = 600'000;
    Json models = Json::object();
};

// Read fresh on every call: config edits apply without a restart.
Settings load_settings(const sdk::Host& host);

}  // namespace cowork::llm_gemini
