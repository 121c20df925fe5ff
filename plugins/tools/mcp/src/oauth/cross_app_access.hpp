// cross_app_access.hpp — Enterprise-managed authorization (SEP-990, an MCP
// auth extension): the user's ID token from the enterprise IdP is exchanged
// at the IdP for an Identity Assertion JWT Authorization Grant (ID-JAG,
// RFC 8693 token exchange), which the MCP server's authorization server
// takes in a jwt-bearer grant (RFC 7523) for an access token. No browser.
#pragma once

#include "oauth/token_client.hpp"

namespace cowork::mcp::oauth {

struct IdentityAssertionRequest {
    std::string idp_token_endpoint;
    std::string idp_client_id;
    std::string id_token;  // the user's ID token (a secret's value)
    std::string audience;  // the authorization server's issuer
    std::string resource;  // the MCP server
    std::vector<std::string> scopes;
};

// The ID-JAG. Throws sdk::Error with the IdP's error.
std::string request_identity_assertion(const HttpFetch& http, const IdentityAssertionRequest& r);

// The access token for an ID-JAG (grant_type jwt-bearer), with the client's authentication.
TokenSet jwt_bearer_grant(const HttpFetch& http, const TokenRequest& r, const std::string& assertion,
                          const std::vector<std::string>& scopes);

}  // namespace cowork::mcp::oauth
