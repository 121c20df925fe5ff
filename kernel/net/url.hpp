// kernel/net/url.hpp — the parts of an http(s) URL the client needs.
#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <string>

namespace cowork::kernel::net {

struct Url {
    std::string scheme;  // "http" | "https"
    std::string host;    // lower-case; IPv6 without brackets
    uint16_t port = 0;   // explicit or the scheme's default
    std::string target;  // path + query, at least "/"

    bool tls() const { return scheme == "https"; }
    bool default_port() const { return port == (tls() ? 443 : 80); }
    // "host:port" with IPv6 in brackets: what net:connect patterns match.
    std::string host_port() const;
    // The Host header: the port only when it is not the default.
    std::string authority() const;
    std::string str() const;
};

// Accepts http:// and https:// only; refuses userinfo ("user@host"), which
// hides the real host from a reader of the URL. The fragment is dropped.
Result<Url> parse_url(const std::string& text);

}  // namespace cowork::kernel::net
