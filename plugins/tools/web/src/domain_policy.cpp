#include "domain_policy.hpp"

#include "web_url.hpp"

#include <algorithm>

namespace cowork::web {
namespace {

std::string normalize(std::string d) {
    std::transform(d.begin(), d.end(), d.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (d.rfind("*.", 0) == 0) d.erase(0, 2);
    while (!d.empty() && d.front() == '.') d.erase(0, 1);
    while (!d.empty() && d.back() == '.') d.pop_back();
    return d;
}

std::vector<std::string> normalized(std::vector<std::string> list) {
    for (auto& d : list) d = normalize(d);
    std::erase_if(list, [](const std::string& d) { return d.empty(); });
    return list;
}

}  // namespace

bool domain_matches(const std::string& host, const std::string& domain) {
    if (host == domain) return true;
    return host.size() > domain.size() && host.compare(host.size() - domain.size(), std::string::npos, domain) == 0 &&
           host[host.size() - domain.size() - 1] == '.';
}

DomainPolicy::DomainPolicy(std::vector<std::string> allowed, std::vector<std::string> blocked)
    : allowed_(normalized(std::move(allowed))), blocked_(normalized(std::move(blocked))) {}

std::optional<std::string> DomainPolicy::check_host(const std::string& host) const {
    for (const auto& d : blocked_)
        if (domain_matches(host, d)) return "host '" + host + "' is in blocked_domains ('" + d + "')";
    if (allowed_.empty()) return std::nullopt;
    for (const auto& d : allowed_)
        if (domain_matches(host, d)) return std::nullopt;
    return "host '" + host + "' is not in allowed_domains (only these may be fetched)";
}

std::optional<std::string> DomainPolicy::check_url(const std::string& url) const {
    const auto parsed = parse_web_url(url);
    if (!parsed) return "'" + url + "' is not an absolute http(s) URL";
    if (parsed->scheme != "http" && parsed->scheme != "https")
        return "scheme '" + parsed->scheme + ":' is not allowed; only http and https";
    return check_host(parsed->host);
}

}  // namespace cowork::web
