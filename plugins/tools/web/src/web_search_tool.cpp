// web_search: a query → [{title, url, snippet, date?, source}] from the
// configured providers with fallback (search_router).
#include "web_tools.hpp"

namespace cowork::web {
namespace {

using tools::Json;

Json search(tools::CallContext& ctx, const SearchRouter& router) {
    const std::string query = ctx.args.required_string("query");
    if (query.find_first_not_of(" \t\n") == std::string::npos) throw sdk::invalid("web_search: \"query\" is empty");
    const int count = static_cast<int>(ctx.args.integer("count", 5, 1, 20));
    const std::string provider = ctx.args.string("provider").value_or("");
    if (!provider.empty() && provider != "searxng" && provider != "brave" && provider != "tavily" && provider != "duckduckgo")
        throw sdk::invalid("web_search: \"provider\" must be searxng, brave, tavily or duckduckgo");

    const SearchOutcome out = router.search(query, count, provider);
    if (out.hits.empty()) {
        std::string text = "web_search: no provider returned results for '" + query + "':";
        for (const auto& f : out.failures) text += "\n- " + f;
        return tools::error_result(text, Json{{"failures", out.failures}});
    }
    Json results = Json::array();
    std::string text;
    int n = 0;
    for (const auto& h : out.hits) {
        Json r{{"title", h.title}, {"url", h.url}, {"snippet", h.snippet}, {"source", h.source}};
        if (!h.date.empty()) r["date"] = h.date;
        results.push_back(r);
        text += std::to_string(++n) + ". " + h.title + "\n   " + h.url + "\n";
        if (!h.date.empty()) text += "   " + h.date + "\n";
        if (!h.snippet.empty()) text += "   " + h.snippet + "\n";
        text += "\n";
    }
    text += "(results from " + out.provider + ")";
    tools::truncate_text(text);
    return tools::text_result(text, Json{{"results", results}, {"provider", out.provider}, {"failures", out.failures}});
}

}  // namespace

void register_web_search(tools::ToolSet& tools, const SearchRouter& router) {
    tools::ToolSpec spec;
    spec.name = "web_search";
    spec.description =
        "Search the web. Returns up to `count` results (title, url, snippet, date when known) from the configured "
        "provider (SearXNG, Brave, Tavily or DuckDuckGo), falling back to the next provider when one fails.";
    spec.input_schema = Json::parse(R"J({
      "type": "object",
      "properties": {
        "query": {"type": "string"},
        "count": {"type": "integer", "minimum": 1, "maximum": 20, "default": 5},
        "provider": {"type": "string", "enum": ["searxng", "brave", "tavily", "duckduckgo"],
                     "description": "use only this provider (default: the configured primary, then fallbacks)"}
      },
      "required": ["query"]
    })J");
    spec.read_only = true;
    spec.approval = "network";
    spec.side_effects = "external";
    tools.add(std::move(spec), [&router](tools::CallContext& ctx) { return search(ctx, router); });
}

}  // namespace cowork::web
