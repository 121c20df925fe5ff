// Tavily: POST {base}/search with "Authorization: Bearer <key>" and a JSON
// body {"query","max_results","search_depth":"basic"}. Answer:
// {"results":[{"title","url","content","score","published_date"?}]}.
#include "search_provider.hpp"

#include <algorithm>

namespace cowork::web {
namespace {

class TavilyProvider : public SearchProvider {
public:
    TavilyProvider(std::string base, std::string key) : base_(std::move(base)), key_(std::move(key)) {}
    std::string name() const override { return "tavily"; }
    std::optional<std::string> unavailable() const override {
        if (key_.empty())
            return "no Tavily API key (cowork secrets set plugin.tool.web.tavily_api_key, or $TAVILY_API_KEY)";
        return std::nullopt;
    }
    nlohmann::json build_request(const std::string& query, int count) const override {
        const nlohmann::json body{{"query", query}, {"max_results", std::clamp(count, 1, 20)}, {"search_depth", "basic"}};
        return {{"method", "POST"},
                {"url", join_url(base_, "/search")},
                {"headers", {{"Authorization", "Bearer " + key_}, {"Content-Type", "application/json"}}},
                {"body", body.dump()}};
    }
    std::vector<SearchHit> parse(const std::string& body) const override {
        const auto j = nlohmann::json::parse(body);
        std::vector<SearchHit> hits;
        for (const auto& r : j.at("results")) {
            if (!r.is_object()) continue;
            hits.push_back({str(r, "title"), str(r, "url"), plain_text(str(r, "content")), str(r, "published_date"), name()});
        }
        return hits;
    }

private:
    std::string base_, key_;
};

}  // namespace

std::unique_ptr<SearchProvider> make_tavily(std::string base_url, std::string api_key) {
    return std::make_unique<TavilyProvider>(std::move(base_url), std::move(api_key));
}

}  // namespace cowork::web
