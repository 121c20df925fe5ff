// url_policy.hpp — which URLs the browser may load (the same rules as the
// kernel's web_fetch SSRF guard, re-implemented here because plugins only
// include sdk/).
//
// Navigation is checked before Page.navigate, and every request the page
// makes (sub-resources, redirects, XHR/fetch) is checked again when Chromium
// pauses it (Fetch.requestPaused, see request_guard). Hosts are resolved with
// getaddrinfo and refused if ANY address is non-public: Chromium may pick any
// of them.
#pragma once

#include <cowork/sdk/net/address_class.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cowork::browser {

struct ParsedUrl {
    std::string scheme;  // lower-case, without ':'
    std::string host;    // lower-case, IPv6 without brackets
    int port = 0;        // 0 = the scheme's default
};

// Splits an absolute URL; nothing when it has no scheme or (for http/https) no host.
std::optional<ParsedUrl> parse_url(const std::string& url);

// One classification table for the kernel and plugins (the SDK's).
using ::cowork::sdk::net::AddressClass;
using ::cowork::sdk::net::classify_address;
using ::cowork::sdk::net::describe;

struct UrlPolicyOptions {
    bool allow_private = false;              // loopback + private networks (never link-local/metadata)
    std::vector<std::string> allowed_hosts;  // lower-case; exact, or "*.example.com"
};

// Resolves a host name to textual addresses. Replaceable in tests.
using Resolver = std::vector<std::string> (*)(const std::string& host, std::string& error);
std::vector<std::string> resolve_host(const std::string& host, std::string& error);

class UrlPolicy {
public:
    explicit UrlPolicy(UrlPolicyOptions options, Resolver resolver = &resolve_host);

    // For a top-level navigation: http, https and about:blank only.
    // Returns the reason to refuse, or nothing.
    std::optional<std::string> check_navigation(const std::string& url) const;
    // For a request Chromium is about to send (after its own URL parsing).
    // Non-network schemes (data:, blob:) never reach the network and pass.
    std::optional<std::string> check_request(const std::string& url) const;

    bool host_allowed_explicitly(const std::string& host) const;

private:
    std::optional<std::string> check_host(const ParsedUrl& url) const;
    UrlPolicyOptions options_;
    Resolver resolver_;
};

}  // namespace cowork::browser
