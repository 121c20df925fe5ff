// www_authenticate.hpp — reads the WWW-Authenticate header of a 401/403
// (RFC 9110 §11.6.1): challenges with auth-params, and from the Bearer one
// what MCP authorization needs (RFC 6750 error and scope, RFC 9728
// resource_metadata).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cowork::mcp::oauth {

struct Challenge {
    std::string scheme;                         // lower-case: "bearer"
    std::map<std::string, std::string> params;  // lower-case names, unquoted values
};

// Every challenge in the header; malformed tails are dropped, not fatal.
std::vector<Challenge> parse_www_authenticate(const std::string& header);

struct BearerChallenge {
    bool present = false;               // the header had a Bearer challenge
    std::string error;                  // invalid_token, insufficient_scope, …
    std::string error_description;
    std::vector<std::string> scopes;    // `scope`, split on spaces
    std::string resource_metadata;      // URL of the protected resource metadata
};

BearerChallenge bearer_challenge(const std::string& header);

std::vector<std::string> split_scopes(const std::string& scope);
std::string join_scopes(const std::vector<std::string>& scopes);

}  // namespace cowork::mcp::oauth
