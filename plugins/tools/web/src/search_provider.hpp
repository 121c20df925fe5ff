// search_provider.hpp — one web search backend: how its request is built
// (exactly as its API documents it) and how its answer is read. The HTTP
// call itself and the fallback order live in search_router.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cowork::web {

struct SearchHit {
    std::string title, url, snippet, date;  // date: as the provider gives it, may be empty
    std::string source;                     // provider name
};

class SearchProvider {
public:
    virtual ~SearchProvider() = default;
    virtual std::string name() const = 0;
    // Why it cannot be used now (no key, no base URL), or nothing.
    virtual std::optional<std::string> unavailable() const = 0;
    // A cowork.http/1 request: {"method","url","headers",["body"]}.
    virtual nlohmann::json build_request(const std::string& query, int count) const = 0;
    // Throws std::exception on a body that is not what the API returns.
    virtual std::vector<SearchHit> parse(const std::string& body) const = 0;
};

std::unique_ptr<SearchProvider> make_searxng(std::string base_url);
std::unique_ptr<SearchProvider> make_brave(std::string base_url, std::string api_key);
std::unique_ptr<SearchProvider> make_tavily(std::string base_url, std::string api_key);
std::unique_ptr<SearchProvider> make_duckduckgo(std::string base_url);

// Provider snippets may carry markup (<strong>, &amp;): plain, collapsed text.
std::string plain_text(const std::string& html_fragment);
// "https://x.org/" + "/search" without a doubled slash.
std::string join_url(std::string base, const std::string& path);
// A JSON string field, or "".
std::string str(const nlohmann::json& j, const char* key);

}  // namespace cowork::web
