// SearXNG: GET {base}/search?q=…&format=json (the instance must enable the
// json format in settings.yml). Answer: {"results":[{"title","url",
// "content","publishedDate"}]}. SearXNG has no result-count parameter: the
// router keeps the first `count`.
#include "search_provider.hpp"
#include "web_url.hpp"

namespace cowork::web {
namespace {

class SearxngProvider : public SearchProvider {
public:
    explicit SearxngProvider(std::string base) : base_(std::move(base)) {}
    std::string name() const override { return "searxng"; }
    std::optional<std::string> unavailable() const override {
        if (base_.empty()) return "no SearXNG instance configured (searxng_url or $SEARXNG_URL)";
        return std::nullopt;
    }
    nlohmann::json build_request(const std::string& query, int) const override {
        return {{"method", "GET"},
                {"url", join_url(base_, "/search") + "?q=" + percent_encode(query) + "&format=json"},
                {"headers", {{"Accept", "application/json"}}}};
    }
    std::vector<SearchHit> parse(const std::string& body) const override {
        const auto j = nlohmann::json::parse(body);
        std::vector<SearchHit> hits;
        for (const auto& r : j.at("results")) {
            if (!r.is_object()) continue;
            hits.push_back({plain_text(str(r, "title")), str(r, "url"), plain_text(str(r, "content")),
                            str(r, "publishedDate"), name()});
        }
        return hits;
    }

private:
    std::string base_;
};

}  // namespace

std::unique_ptr<SearchProvider> make_searxng(std::string base_url) { return std::make_unique<SearxngProvider>(std::move(base_url)); }

}  // namespace cowork::web
