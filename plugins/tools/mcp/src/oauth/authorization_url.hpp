// authorization_url.hpp — the front-channel request a person's browser
// makes (OAuth 2.1 §4.1.1): response_type=code, client_id, redirect_uri,
// PKCE S256 challenge, state, scope (left out when empty) and the RFC 8707
// resource (left out when empty).
#pragma once

#include <string>
#include <vector>

namespace cowork::mcp::oauth {

struct AuthorizationRequest {
    std::string endpoint;
    std::string client_id;
    std::string redirect_uri;
    std::string code_challenge;
    std::string state;
    std::vector<std::string> scopes;
    std::string resource;
};

std::string authorization_url(const AuthorizationRequest& r);

}  // namespace cowork::mcp::oauth
