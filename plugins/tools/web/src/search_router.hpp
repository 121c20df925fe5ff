// search_router.hpp — web_search's provider order and fallback: the asked
// provider alone, else the configured primary and then each fallback in
// order; a provider that errors, is not configured, or finds nothing hands
// over to the next. Results are normalized, filtered by the domain lists
// and deduplicated by URL.
#pragma once

#include "domain_policy.hpp"
#include "search_provider.hpp"
#include "web_config.hpp"

#include <cowork/sdk/host.hpp>

namespace cowork::web {

struct SearchOutcome {
    std::vector<SearchHit> hits;
    std::string provider;               // the one that answered
    std::vector<std::string> failures;  // "brave: HTTP 500 …", in order
};

class SearchRouter {
public:
    SearchRouter(sdk::Host host, WebConfig config);

    // `only`: a provider name the caller asked for ("" = configured order).
    SearchOutcome search(const std::string& query, int count, const std::string& only) const;

    // The provider names tried, in order, for `only`.
    std::vector<std::string> order(const std::string& only) const;

private:
    std::unique_ptr<SearchProvider> make(const std::string& name) const;
    std::vector<SearchHit> run(const SearchProvider& p, const std::string& query, int count) const;
    std::string secret_or(const std::string& key, const std::string& config_value, const char* env) const;

    sdk::Host host_;
    WebConfig config_;
    DomainPolicy domains_;
};

std::string normalize_for_dedupe(const std::string& url);

}  // namespace cowork::web
