// domain_policy.hpp — the operator's allowed_domains / blocked_domains for
// tool.web, checked on the URL the model gave and on every redirect hop
// (the plugin follows redirects itself for that, see fetcher.hpp), and used
// to filter search results.
//
// A domain entry matches itself and every subdomain ("example.com" matches
// docs.example.com, not badexample.com). Blocked wins over allowed; a
// non-empty allowed list means "only these". Entries may be written as
// "*.example.com" or ".example.com" (same meaning).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cowork::web {

class DomainPolicy {
public:
    DomainPolicy() = default;
    DomainPolicy(std::vector<std::string> allowed, std::vector<std::string> blocked);

    // The reason to refuse `host` (lower-case), or nothing.
    std::optional<std::string> check_host(const std::string& host) const;
    // Scheme (http/https only) and host of an absolute URL.
    std::optional<std::string> check_url(const std::string& url) const;

private:
    std::vector<std::string> allowed_, blocked_;
};

bool domain_matches(const std::string& host, const std::string& domain);

}  // namespace cowork::web
