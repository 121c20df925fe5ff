// oauth_settings.hpp — what the operator configures for an OAuth-protected
// MCP server: auth = { type = "oauth", client_id?, client_secret?,
// client_metadata_url?, scopes?, grant? }. Secrets are named, never inlined.
#pragma once

#include <string>
#include <vector>

namespace cowork::mcp::oauth {

struct OAuthSettings {
    bool enabled = false;
    std::string client_id;            // a pre-registered client (used first when set)
    std::string client_secret;        // NAME of the secret holding its secret, in the secrets service
    // NAME of the secret holding the pre-registered client's EC P-256 private
    // key (PEM): the client authenticates with an ES256-signed JWT
    // ("private_key_jwt", RFC 7523) instead of a secret.
    std::string client_private_key;
    std::string client_metadata_url;  // an https URL serving this client's metadata document (CIMD)
    std::vector<std::string> scopes;  // asked for when the server's challenge names none
    // "authorization_code" (a person logs in), "client_credentials" (machine to
    // machine) or "cross_app_access" (SEP-990: an enterprise IdP's ID token
    // exchanged for an ID-JAG, then the jwt-bearer grant).
    std::string grant = "authorization_code";
    std::string client_name = "CoWork";
    // cross_app_access only:
    std::string idp_token_endpoint;  // the IdP's token endpoint (RFC 8693 token exchange)
    std::string idp_client_id;       // this client's id at the IdP
    std::string idp_id_token;        // NAME of the secret holding the user's ID token from the IdP
};

}  // namespace cowork::mcp::oauth
