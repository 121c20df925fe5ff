// fetcher.hpp — one web_fetch download through the kernel's cowork.http/1.
//
// Why redirects are followed here and not by the kernel: the kernel re-runs
// its SSRF guard on every hop, but it does not know the operator's
// allowed_domains/blocked_domains. So every request goes out with
// maxRedirects 0, and this loop checks each Location (scheme + domain
// lists) before asking for it; each of those requests carries
// "ssrfGuard": true again, so every hop is also re-checked by address after
// DNS. The overall timeout spans all hops.
//
// Bodies stream (responseBase64, so any charset survives); a binary
// Content-Type is recognised at the response head and the download is
// cancelled right there, never dumped.
#pragma once

#include "domain_policy.hpp"

#include <cowork/sdk/host.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cowork::web {

struct FetchRequest {
    std::string url;
    uint64_t max_bytes = 2ull << 20;
    int timeout_ms = 30000;
    int max_redirects = 5;
};

struct FetchResult {
    bool ok = false;
    std::string error_code;  // "denied", "too_large", "timeout", "tls", "connect", "redirects", "binary", …
    std::string message;     // for the model: what happened, what to do
    int status = 0;
    std::string final_url;
    std::string content_type;
    std::string declared_length;  // Content-Length as sent, if any
    std::string body;             // raw bytes
    std::string location;         // a redirect's Location (before resolution); empty otherwise
    std::vector<std::string> redirects;  // the hops followed, in order
};

class Fetcher {
public:
    Fetcher(sdk::Host host, DomainPolicy domains, std::vector<std::string> allow_private_hosts);

    // `stop` is polled while the body streams: true cancels the download.
    FetchResult fetch(const FetchRequest& request, const std::function<bool()>& stop) const;

private:
    FetchResult one_hop(const std::string& url, const FetchRequest& request, int timeout_ms,
                        const std::function<bool()>& stop) const;

    sdk::Host host_;
    DomainPolicy domains_;
    std::vector<std::string> allow_private_hosts_;
};

}  // namespace cowork::web
