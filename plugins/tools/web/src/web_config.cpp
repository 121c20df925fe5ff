#include "web_config.hpp"

#include <cowork/sdk/error.hpp>

#include <algorithm>

namespace cowork::web {
namespace {

std::vector<std::string> strings(const nlohmann::json& j, const char* key, std::vector<std::string> fallback = {}) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (it->is_string()) return {it->get<std::string>()};
    if (!it->is_array()) throw sdk::invalid(std::string("tool.web config: ") + key + " must be a list of strings");
    std::vector<std::string> out;
    for (const auto& v : *it)
        if (v.is_string() && !v.get<std::string>().empty()) out.push_back(v.get<std::string>());
    return out;
}

std::string text(const nlohmann::json& j, const char* key, const std::string& fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() && !it->get<std::string>().empty() ? it->get<std::string>() : fallback;
}

}  // namespace

WebConfig WebConfig::from_json(const nlohmann::json& j) {
    WebConfig c;
    if (!j.is_object()) return c;
    c.allow_private_hosts = strings(j, "allow_private_hosts");
    c.allowed_domains = strings(j, "allowed_domains");
    c.blocked_domains = strings(j, "blocked_domains");
    c.primary = text(j, "primary", "");
    c.fallback = strings(j, "fallback", c.fallback);
    c.searxng_url = text(j, "searxng_url", text(j, "base_url", ""));
    c.brave_base_url = text(j, "brave_base_url", c.brave_base_url);
    c.tavily_base_url = text(j, "tavily_base_url", c.tavily_base_url);
    c.duckduckgo_base_url = text(j, "duckduckgo_base_url", c.duckduckgo_base_url);
    c.brave_api_key = text(j, "brave_api_key", "");
    c.tavily_api_key = text(j, "tavily_api_key", "");
    if (const auto t = j.find("search_timeout_ms"); t != j.end() && t->is_number_integer())
        c.search_timeout_ms = std::clamp(t->get<int>(), 1000, 120000);
    return c;
}

}  // namespace cowork::web
