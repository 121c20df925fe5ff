// scope_selection.hpp — which scopes to ask for (MCP 2025-11-25 "Scope
// selection strategy"): the `scope` of the server's challenge, else the
// operator's configured scopes, else the resource's scopes_supported, else
// none (the `scope` parameter is then left out). offline_access is added
// when the authorization server lists it, for a refresh token (SEP-2207).
#pragma once

#include <string>
#include <vector>

namespace cowork::mcp::oauth {

struct ScopeInputs {
    std::vector<std::string> challenge;          // WWW-Authenticate scope
    std::vector<std::string> configured;         // auth.scopes
    std::vector<std::string> resource_supported; // protected resource metadata scopes_supported
    std::vector<std::string> server_supported;   // authorization server metadata scopes_supported
    std::vector<std::string> already_granted;    // step-up: keep what the current token has
    bool wants_refresh_token = true;             // authorization code flow; not client credentials
};

std::vector<std::string> select_scopes(const ScopeInputs& in);

}  // namespace cowork::mcp::oauth
