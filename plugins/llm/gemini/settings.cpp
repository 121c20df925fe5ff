#include "settings.hpp"

#include <cstdlib>

namespace cowork::llm_gemini {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::string string_setting(const Json& config, const char* key) {
    auto it = config.find(key);
    return it != config.end() && it->is_string() ? it->get<std::string>() : "";
}

// A missing or denied secret is not an error here: the env fallbacks may
// still supply a key, and a call without any key fails with `auth` later.
std::string try_secret(const sdk::Host& host) {
    try {
        return host.secret(kSecretKey);
    } catch (const std::exception&) {
        return "";
    }
}

}  // namespace

Settings load_settings(const sdk::Host& host) {
    Settings s;
    Json config = Json::object();
    try {
        config = host.config();
    } catch (const std::exception&) {
        // no config service: defaults and env only
    }
    if (!config.is_object()) config = Json::object();

    if (auto secret = try_secret(host); !secret.empty()) {
        s.api_key = secret;
        s.key_source = std::string("the secret ") + kSecretKey;
    } else if (auto key = string_setting(config, "api_key"); !key.empty()) {
        s.api_key = key;
        s.key_source = "the api_key setting of llm.gemini";
    } else if (auto e = env("GEMINI_API_KEY"); !e.empty()) {
        s.api_key = e;
        s.key_source = "$GEMINI_API_KEY";
    } else if (auto g = env("GOOGLE_API_KEY"); !g.empty()) {
        s.api_key = g;
        s.key_source = "$GOOGLE_API_KEY";
    }

    s.base_url = string_setting(config, "base_url");
    if (s.base_url.empty()) s.base_url = env("GOOGLE_GEMINI_BASE_URL");
    if (s.base_url.empty()) s.base_url = kDefaultBaseUrl;
    while (!s.base_url.empty() && s.base_url.back() == '/') s.base_url.pop_back();
    if (auto v = string_setting(config, "api_version"); !v.empty()) s.api_version = v;

    s.max_retries = config.value("max_retries", 3);
    s.timeout_ms = config.value("timeout_s", 600) * 1000;
    if (auto it = config.find("models"); it != config.end() && it->is_object()) s.models = *it;
    return s;
}

}  // namespace cowork::llm_gemini
