#include "oauth/cross_app_access.hpp"

#include "oauth/www_authenticate.hpp"

#include <cowork/sdk/error.hpp>

namespace cowork::mcp::oauth {

std::string request_identity_assertion(const HttpFetch& http, const IdentityAssertionRequest& r) {
    // The IdP's token endpoint answers like any token endpoint; its
    // "access_token" is the ID-JAG (issued_token_type …:id-jag).
    TokenRequest idp;
    idp.token_endpoint = r.idp_token_endpoint;
    idp.client.client_id = r.idp_client_id;
    idp.client.auth_method = "none";
    idp.resource = r.resource;
    FormFields body{{"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
                    {"requested_token_type", "urn:ietf:params:oauth:token-type:id-jag"},
                    {"subject_token", r.id_token},
                    {"subject_token_type", "urn:ietf:params:oauth:token-type:id_token"},
                    {"audience", r.audience}};
    if (!r.scopes.empty()) body.emplace_back("scope", join_scopes(r.scopes));
    try {
        return token_request(http, idp, body, "").access_token;
    } catch (const sdk::Error& e) {
        throw sdk::failed(std::string("the identity provider refused the token exchange: ") + e.what() +
                          " (is the ID token in auth.idp_id_token current?)");
    }
}

TokenSet jwt_bearer_grant(const HttpFetch& http, const TokenRequest& r, const std::string& assertion,
                          const std::vector<std::string>& scopes) {
    FormFields body{{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"assertion", assertion}};
    if (!scopes.empty()) body.emplace_back("scope", join_scopes(scopes));
    return token_request(http, r, body, join_scopes(scopes));
}

}  // namespace cowork::mcp::oauth
