#include "oauth/authorization_url.hpp"

#include "oauth/encoding.hpp"
#include "oauth/www_authenticate.hpp"

namespace cowork::mcp::oauth {

std::string authorization_url(const AuthorizationRequest& r) {
    FormFields q{{"response_type", "code"},
                 {"client_id", r.client_id},
                 {"redirect_uri", r.redirect_uri},
                 {"code_challenge", r.code_challenge},
                 {"code_challenge_method", "S256"},
                 {"state", r.state}};
    if (!r.scopes.empty()) q.emplace_back("scope", join_scopes(r.scopes));
    if (!r.resource.empty()) q.emplace_back("resource", r.resource);
    // The endpoint may carry its own query (RFC 6749 §3.1 keeps it).
    const char joiner = r.endpoint.find('?') == std::string::npos ? '?' : '&';
    return r.endpoint + joiner + form_encode(q);
}

}  // namespace cowork::mcp::oauth
