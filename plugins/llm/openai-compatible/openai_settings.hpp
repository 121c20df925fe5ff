// openai_settings.hpp — which endpoint a request goes to, and with which key.
//
// The plugin config holds one default endpoint (base_url, api_key, headers,
// azure, api_version) and named `profiles` with the same keys (plus
// api_key_env). A request model "groq:llama-3.1-70b" selects profile "groq"
// and sends model "llama-3.1-70b"; a prefix that is not a profile name is
// part of the model id (LM Studio and vLLM ids may contain ':').
#pragma once

#include <provider_settings.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::openai {

using Json = nlohmann::json;

inline constexpr const char* kPluginId = "llm.openai-compatible";
inline constexpr const char* kDefaultBaseUrl = "https://api.openai.com/v1";
inline constexpr const char* kDefaultAzureApiVersion = "2024-10-21";

struct Endpoint {
    std::string profile;        // "" for the default endpoint
    std::string base_url;       // without a trailing '/'
    std::string api_key;        // may be empty (local servers need none)
    std::string key_source;     // where the key came from / should be set: for error messages, never the key
    Json headers = Json::object();  // extra headers, lower-case names
    bool azure = false;
    std::string api_version;    // Azure only
    bool stream_usage = true;   // send stream_options.include_usage
    Json models = Json::object();  // this endpoint's price/limit overrides
};

struct Route {
    Endpoint endpoint;
    std::string model;  // the model id sent to the provider (profile prefix removed)
};

// The secret store and environment (plugins/llm/common), injectable for tests.
using Sources = llm_common::Lookups;

// Throws sdk::Error invalid for an unusable config (e.g. a profile without base_url).
Route resolve_route(const Json& config, const std::string& model, const Sources& sources);

// POST target and auth headers for an endpoint.
std::string chat_url(const Endpoint& e);
Json request_headers(const Endpoint& e);

}  // namespace cowork::openai
