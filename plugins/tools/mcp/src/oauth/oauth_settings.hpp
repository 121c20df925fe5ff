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
    std::string client_metadata_url;  // an https URL serving this client's metadata document (CIMD)
    std::vector<std::string> scopes;  // asked for when the server's challenge names none
    std::string grant = "authorization_code";  // or "client_credentials" (machine-to-machine extension)
    std::string client_name = "CoWork";
};

}  // namespace cowork::mcp::oauth
