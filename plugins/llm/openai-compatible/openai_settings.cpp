#include "openai_settings.hpp"

#include <cowork/sdk/error.hpp>

#include <cctype>

namespace cowork::openai {
namespace {

using llm_common::string_setting;

Json lower_case_headers(const Json& headers) {
    Json out = Json::object();
    if (!headers.is_object()) return out;
    for (const auto& [name, value] : headers.items()) {
        std::string n = name;
        for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out[n] = value.is_string() ? value.get<std::string>() : value.dump();
    }
    return out;
}

// The common keys of the default endpoint and of a profile.
void read_common(Endpoint& e, const Json& table) {
    e.headers = lower_case_headers(table.value("headers", Json::object()));
    e.azure = table.value("azure", false);
    e.api_version = string_setting(table, "api_version");
    if (e.azure && e.api_version.empty()) e.api_version = kDefaultAzureApiVersion;
    e.stream_usage = table.value("stream_usage", true);
    if (table.contains("models") && table["models"].is_object()) e.models = table["models"];
}

// Secret store → config → environment (the shared lookup chain).
void resolve_key(Endpoint& e, const Json& table, const std::string& secret_key, const std::string& env_name,
                 const Sources& sources) {
    const auto key = llm_common::find_api_key(sources, secret_key, table, {env_name});
    e.api_key = key.value;
    e.key_source = key.source;
}

Endpoint default_endpoint(const Json& config, const Sources& sources) {
    Endpoint e;
    read_common(e, config);
    e.base_url = llm_common::resolve_base_url(config, sources, {"OPENAI_BASE_URL"}, kDefaultBaseUrl);
    resolve_key(e, config, llm_common::secret_key_for(kPluginId), "OPENAI_API_KEY", sources);
    return e;
}

Endpoint profile_endpoint(const std::string& name, const Json& table, const Sources& sources) {
    Endpoint e;
    e.profile = name;
    read_common(e, table);
    e.base_url = llm_common::resolve_base_url(table, {}, {}, "");
    if (e.base_url.empty())
        throw sdk::invalid("profile '" + name + "' of " + kPluginId + " has no base_url");
    resolve_key(e, table, std::string("plugin.") + kPluginId + ".profiles." + name + ".api_key",
                string_setting(table, "api_key_env"), sources);
    return e;
}

}  // namespace

Route resolve_route(const Json& config, const std::string& model, const Sources& sources) {
    const Json profiles = config.is_object() ? config.value("profiles", Json::object()) : Json::object();
    if (const auto colon = model.find(':'); colon != std::string::npos && profiles.is_object()) {
        const std::string name = model.substr(0, colon);
        if (auto it = profiles.find(name); it != profiles.end() && it->is_object())
            return {profile_endpoint(name, *it, sources), model.substr(colon + 1)};
    }
    return {default_endpoint(config.is_object() ? config : Json::object(), sources), model};
}

std::string chat_url(const Endpoint& e) {
    // Azure: base_url is the deployment URL
    // (https://<resource>.openai.azure.com/openai/deployments/<deployment>).
    if (e.azure) return e.base_url + "/chat/completions?api-version=" + e.api_version;
    return e.base_url + "/chat/completions";
}

Json request_headers(const Endpoint& e) {
    Json h = Json::object();
    h["accept"] = "text/event-stream";
    if (!e.api_key.empty()) {
        if (e.azure) h["api-key"] = e.api_key;
        else h["authorization"] = "Bearer " + e.api_key;
    }
    // Extra headers (OpenRouter's HTTP-Referer / X-Title, gateways' own
    // keys) may not replace the auth header chosen above.
    for (const auto& [name, value] : e.headers.items())
        if (!h.contains(name)) h[name] = value;
    return h;
}

}  // namespace cowork::openai
