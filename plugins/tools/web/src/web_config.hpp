// web_config.hpp — [plugins."tool.web"] as read once at init.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cowork::web {

struct WebConfig {
    std::vector<std::string> allow_private_hosts;  // exact names that may reach loopback/private (kernel ssrfGuard)
    std::vector<std::string> allowed_domains;      // non-empty: only these (and subdomains)
    std::vector<std::string> blocked_domains;
    // Search: "searxng" | "brave" | "tavily" | "duckduckgo"; empty primary:
    // the first configured of searxng, brave, tavily, else duckduckgo.
    std::string primary;
    std::vector<std::string> fallback{"duckduckgo"};
    std::string searxng_url;  // also $SEARXNG_URL
    std::string brave_base_url = "https://api.search.brave.com";
    std::string tavily_base_url = "https://api.tavily.com";
    std::string duckduckgo_base_url = "https://html.duckduckgo.com";
    std::string brave_api_key, tavily_api_key;  // config fallbacks after the secret store
    int search_timeout_ms = 15000;

    static WebConfig from_json(const nlohmann::json& j);
};

}  // namespace cowork::web
