// token_client.hpp — requests to the token endpoint (OAuth 2.1 §3.2):
// authorization code + PKCE verifier, refresh token, client credentials;
// each with the `resource` indicator (RFC 8707) and the client
// authentication the client was registered with (client_secret_basic,
// client_secret_post or none). Errors carry the server's `error` code and
// description, never a token or secret.
#pragma once

#include "oauth/http_fetch.hpp"

#include <string>
#include <vector>

namespace cowork::mcp::oauth {

// sdk::Error code of a token request the server refused with a 4xx.
inline constexpr const char* kRejectedGrant = "oauth.rejected";

struct ClientIdentity {
    std::string client_id;
    std::string client_secret;                 // empty for a public client
    std::string auth_method = "none";          // none | client_secret_basic | client_secret_post | private_key_jwt
    // private_key_jwt only (never stored with a grant): the PEM key and the
    // authorization server's issuer, the assertion's audience.
    std::string assertion_key_pem;
    std::string assertion_audience;
    std::string how;                           // pre-registered | metadata document | dynamic registration
};

struct TokenSet {
    std::string access_token;
    std::string refresh_token;
    std::string scope;         // as granted (or as requested when the server did not say)
    long long expires_at = 0;  // unix seconds; 0: unknown
};

struct TokenRequest {
    std::string token_endpoint;
    ClientIdentity client;
    std::string resource;  // empty: left out (2025-03-26 servers without resource metadata)
};

TokenSet exchange_code(const HttpFetch& http, const TokenRequest& r, const std::string& code,
                       const std::string& redirect_uri, const std::string& verifier);
TokenSet refresh_tokens(const HttpFetch& http, const TokenRequest& r, const std::string& refresh_token);
TokenSet client_credentials(const HttpFetch& http, const TokenRequest& r, const std::vector<std::string>& scopes);

// Any grant: `body` plus resource and client authentication; the answer parsed.
TokenSet token_request(const HttpFetch& http, const TokenRequest& r, FormFields body, const std::string& requested_scope);

// Adds the client's authentication to a token request (exposed for tests).
void authenticate_client(const ClientIdentity& client, FormFields& body, std::map<std::string, std::string>& headers);

}  // namespace cowork::mcp::oauth
