// Brave Search API: GET {base}/res/v1/web/search?q=…&count=N (count ≤ 20)
// with "X-Subscription-Token: <key>" and "Accept: application/json".
// Answer: {"web":{"results":[{"title","url","description","age","page_age"}]}};
// descriptions carry <strong> highlights, stripped here.
#include "search_provider.hpp"
#include "web_url.hpp"

#include <algorithm>

namespace cowork::web {
namespace {

class BraveProvider : public SearchProvider {
public:
    BraveProvider(std::string base, std::string key) : base_(std::move(base)), key_(std::move(key)) {}
    std::string name() const override { return "brave"; }
    std::optional<std::string> unavailable() const override {
        if (key_.empty())
            return "no Brave API key (cowork secrets set plugin.tool.web.brave_api_key, or $BRAVE_API_KEY)";
        return std::nullopt;
    }
    nlohmann::json build_request(const std::string& query, int count) const override {
        return {{"method", "GET"},
                {"url", join_url(base_, "/res/v1/web/search") + "?q=" + percent_encode(query) +
                            "&count=" + std::to_string(std::clamp(count, 1, 20))},
                {"headers", {{"Accept", "application/json"}, {"X-Subscription-Token", key_}}}};
    }
    std::vector<SearchHit> parse(const std::string& body) const override {
        const auto j = nlohmann::json::parse(body);
        std::vector<SearchHit> hits;
        const auto web = j.find("web");
        if (web == j.end() || !web->is_object() || !web->contains("results")) return hits;  // no web results
        for (const auto& r : web->at("results")) {
            if (!r.is_object()) continue;
            std::string date = str(r, "page_age");
            if (date.empty()) date = str(r, "age");
            hits.push_back({plain_text(str(r, "title")), str(r, "url"), plain_text(str(r, "description")), date, name()});
        }
        return hits;
    }

private:
    std::string base_, key_;
};

}  // namespace

std::unique_ptr<SearchProvider> make_brave(std::string base_url, std::string api_key) {
    return std::make_unique<BraveProvider>(std::move(base_url), std::move(api_key));
}

}  // namespace cowork::web
