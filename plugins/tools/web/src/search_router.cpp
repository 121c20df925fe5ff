#include "search_router.hpp"

#include "web_url.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <set>

namespace cowork::web {
namespace {

const char* const kProviders[] = {"searxng", "brave", "tavily", "duckduckgo"};

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

}  // namespace

// Same page, different spelling: scheme, "www.", trailing slash and
// fragment do not make a new result.
std::string normalize_for_dedupe(const std::string& url) {
    auto parsed = parse_web_url(url);
    if (!parsed) return url;
    std::string host = parsed->host;
    if (host.rfind("www.", 0) == 0) host.erase(0, 4);
    std::string path = parsed->path.substr(0, parsed->path.find('#'));
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return host + (parsed->port.empty() ? "" : ":" + parsed->port) + path;
}

SearchRouter::SearchRouter(sdk::Host host, WebConfig config)
    : host_(host), config_(std::move(config)), domains_(config_.allowed_domains, config_.blocked_domains) {}

std::string SearchRouter::secret_or(const std::string& key, const std::string& config_value, const char* env_name) const {
    try {
        if (std::string v = host_.secret(key); !v.empty()) return v;
    } catch (const std::exception&) {
        // Not stored, or no secret service: the config and the environment are the fallbacks.
    }
    return config_value.empty() ? env(env_name) : config_value;
}

std::unique_ptr<SearchProvider> SearchRouter::make(const std::string& name) const {
    if (name == "searxng") return make_searxng(config_.searxng_url.empty() ? env("SEARXNG_URL") : config_.searxng_url);
    if (name == "brave")
        return make_brave(config_.brave_base_url, secret_or("plugin.tool.web.brave_api_key", config_.brave_api_key, "BRAVE_API_KEY"));
    if (name == "tavily")
        return make_tavily(config_.tavily_base_url, secret_or("plugin.tool.web.tavily_api_key", config_.tavily_api_key, "TAVILY_API_KEY"));
    if (name == "duckduckgo") return make_duckduckgo(config_.duckduckgo_base_url);
    return nullptr;
}

std::vector<std::string> SearchRouter::order(const std::string& only) const {
    if (!only.empty()) return {only};
    std::vector<std::string> names;
    std::string primary = config_.primary;
    if (primary.empty()) {
        // The first provider that is set up; DuckDuckGo needs nothing.
        for (const char* p : kProviders)
            if (auto made = make(p); made && !made->unavailable()) {
                primary = p;
                break;
            }
    }
    names.push_back(primary);
    for (const auto& f : config_.fallback)
        if (std::find(names.begin(), names.end(), f) == names.end()) names.push_back(f);
    return names;
}

std::vector<SearchHit> SearchRouter::run(const SearchProvider& p, const std::string& query, int count) const {
    nlohmann::json request = p.build_request(query, count);
    // Provider endpoints come from the operator, never from the model: the
    // configured host may be private (a self-hosted SearXNG on localhost),
    // anything else keeps the SSRF guard.
    auto hosts = config_.allow_private_hosts;
    if (auto u = parse_web_url(request.value("url", ""))) hosts.push_back(u->host);
    request["ssrfGuard"] = true;
    request["allowPrivateHosts"] = hosts;
    request["timeoutMs"] = config_.search_timeout_ms;
    request["maxBytes"] = 4 << 20;
    const nlohmann::json out = host_.http(request);
    const int status = out.value("status", 0);
    const std::string body = out.value("body", "");
    if (status != 200) throw std::runtime_error("HTTP " + std::to_string(status) + ": " + body.substr(0, 200));
    return p.parse(body);
}

SearchOutcome SearchRouter::search(const std::string& query, int count, const std::string& only) const {
    SearchOutcome outcome;
    for (const auto& name : order(only)) {
        const auto provider = make(name);
        if (!provider) {
            outcome.failures.push_back(name + ": unknown provider (searxng, brave, tavily, duckduckgo)");
            continue;
        }
        if (auto why = provider->unavailable()) {
            outcome.failures.push_back(name + ": " + *why);
            continue;
        }
        std::vector<SearchHit> hits;
        try {
            hits = run(*provider, query, count);
        } catch (const std::exception& e) {
            outcome.failures.push_back(name + ": " + e.what());
            continue;
        }
        std::set<std::string> seen;
        for (auto& h : hits) {
            const auto u = parse_web_url(h.url);
            if (!u || (u->scheme != "http" && u->scheme != "https") || domains_.check_host(u->host)) continue;
            if (!seen.insert(normalize_for_dedupe(h.url)).second) continue;
            outcome.hits.push_back(std::move(h));
            if (static_cast<int>(outcome.hits.size()) >= count) break;
        }
        if (outcome.hits.empty()) {
            outcome.failures.push_back(name + ": no results");
            continue;
        }
        outcome.provider = name;
        return outcome;
    }
    return outcome;
}

}  // namespace cowork::web
