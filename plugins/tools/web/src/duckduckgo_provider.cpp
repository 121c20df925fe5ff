// DuckDuckGo's keyless HTML endpoint: GET {base}/html/?q=…. Results are
// <a class="result__a" href="//duckduckgo.com/l/?uddg=<encoded target>&…">
// title</a> followed by an element with class "result__snippet". Ads
// (class "result--ad", or links through duckduckgo.com/y.js) are skipped.
// Scraping: the markup can change; that is why it is the fallback.
#include "html_dom.hpp"
#include "search_provider.hpp"
#include "web_url.hpp"

namespace cowork::web {
namespace {

// The real target of a result link: the uddg parameter when present.
std::string target_of(const std::string& href) {
    const auto at = href.find("uddg=");
    if (at == std::string::npos) return href.rfind("//", 0) == 0 ? "https:" + href : href;
    const auto end = href.find('&', at);
    return percent_decode(href.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5));
}

void walk(const HtmlNode& n, std::vector<SearchHit>& hits, bool in_ad, size_t depth) {
    if (depth > kMaxDepth) return;
    in_ad = in_ad || n.has_class("result--ad");
    if (n.tag == "a" && n.has_class("result__a")) {
        const std::string url = target_of(n.attr("href"));
        const bool ad = in_ad || url.find("duckduckgo.com/y.js") != std::string::npos;
        hits.push_back({plain_text(inner_text(n)), ad ? "" : url, "", "", "duckduckgo"});
        return;
    }
    if (n.has_class("result__snippet") && !hits.empty() && hits.back().snippet.empty()) {
        hits.back().snippet = plain_text(inner_text(n));
        return;
    }
    for (const auto& c : n.children) walk(*c, hits, in_ad, depth + 1);
}

class DuckDuckGoProvider : public SearchProvider {
public:
    explicit DuckDuckGoProvider(std::string base) : base_(std::move(base)) {}
    std::string name() const override { return "duckduckgo"; }
    std::optional<std::string> unavailable() const override { return std::nullopt; }
    nlohmann::json build_request(const std::string& query, int) const override {
        return {{"method", "GET"},
                {"url", join_url(base_, "/html/") + "?q=" + percent_encode(query)},
                {"headers", {{"Accept", "text/html"}}}};
    }
    std::vector<SearchHit> parse(const std::string& body) const override {
        std::vector<SearchHit> hits;
        walk(*parse_html(body), hits, false, 0);
        std::erase_if(hits, [](const SearchHit& h) { return h.url.empty(); });
        return hits;
    }

private:
    std::string base_;
};

}  // namespace

std::unique_ptr<SearchProvider> make_duckduckgo(std::string base_url) {
    return std::make_unique<DuckDuckGoProvider>(std::move(base_url));
}

}  // namespace cowork::web
