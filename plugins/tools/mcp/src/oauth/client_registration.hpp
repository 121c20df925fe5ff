// client_registration.hpp — who this client is to an authorization server,
// in the MCP spec's order of preference: a pre-registered client id (from
// the config, its secret from the secrets service), a Client ID Metadata
// Document URL when the server supports them, then Dynamic Client
// Registration (RFC 7591). The token endpoint authentication method follows
// what the server registered or advertises.
#pragma once

#include "oauth/metadata_discovery.hpp"
#include "oauth/oauth_settings.hpp"
#include "oauth/token_client.hpp"

namespace cowork::mcp::oauth {

struct RegistrationInputs {
    OAuthSettings settings;
    std::string client_secret;  // the value of settings.client_secret, read by the caller
    std::string redirect_uri;   // empty for client credentials
};

// Throws sdk::Error saying what to configure when no way is open.
ClientIdentity obtain_client(const HttpFetch& http, const ServerMetadata& as, const RegistrationInputs& in);

// client_secret_basic / client_secret_post / none for a client holding a
// secret (or not), given what the server supports (RFC 8414 default:
// client_secret_basic).
std::string choose_auth_method(const std::vector<std::string>& supported, bool has_secret);

}  // namespace cowork::mcp::oauth
