// encoding.hpp — the byte and text encodings OAuth uses: base64 (HTTP Basic),
// base64url without padding (PKCE, state), percent-encoding and
// application/x-www-form-urlencoded bodies and queries.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cowork::mcp::oauth {

std::string base64(std::string_view bytes);
std::string base64url(std::string_view bytes);  // RFC 4648 §5, no '=' padding

// RFC 3986 unreserved characters stay, everything else becomes %XX.
std::string percent_encode(std::string_view text);
// %XX and (for form bodies and queries) '+' as space.
std::string percent_decode(std::string_view text);

using FormFields = std::vector<std::pair<std::string, std::string>>;
// "a=1&b=x%20y" — order kept, fields with empty values kept.
std::string form_encode(const FormFields& fields);
// "?a=1&b=2" or "a=1&b=2" → {a:1, b:2}; the first of repeated keys wins.
std::map<std::string, std::string> parse_query(std::string_view query);

}  // namespace cowork::mcp::oauth
