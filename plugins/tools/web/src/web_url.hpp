// web_url.hpp — the little URL handling the web tool needs: split an
// absolute http(s) URL, resolve a reference against a base (links,
// redirects, <base href>), and percent-encode/decode query values.
#pragma once

#include <optional>
#include <string>

namespace cowork::web {

struct WebUrl {
    std::string scheme;  // lower-case: "http" | "https" (others are refused by the caller)
    std::string host;    // lower-case; IPv6 without brackets
    std::string port;    // as written, may be empty
    std::string path;    // from the first '/', '?' or '#' on ("/" when empty)
    std::string str() const;
};

// Absolute URLs only; nothing when there is no scheme or no host. Userinfo
// ("user:pw@") is dropped: the host is what matters for every check.
std::optional<WebUrl> parse_web_url(const std::string& url);

// RFC 3986 reference resolution, good enough for HTML links and Location
// headers: absolute, scheme-relative ("//h/x"), path-absolute, relative
// (with ./ and ../), query-only and fragment-only references. Returns the
// reference unchanged when the base cannot be parsed.
std::string resolve_url(const std::string& base, const std::string& reference);

std::string percent_encode(const std::string& s);  // for a query value (space → %20)
std::string percent_decode(const std::string& s);  // '+' → space as in forms

}  // namespace cowork::web
