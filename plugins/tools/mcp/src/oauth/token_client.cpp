#include "oauth/token_client.hpp"

#include "oauth/jwt_assertion.hpp"
#include "oauth/www_authenticate.hpp"

#include <cowork/sdk/error.hpp>

#include <chrono>

namespace cowork::mcp::oauth {
namespace {

long long now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TokenSet token_request(const HttpFetch& http, const TokenRequest& r, FormFields body, const std::string& requested_scope) {
    if (!r.resource.empty()) body.emplace_back("resource", r.resource);
    std::map<std::string, std::string> headers;
    authenticate_client(r.client, body, headers);
    const HttpReply reply = http.post_form(r.token_endpoint, body, headers);
    const Json j = reply.json();
    if (reply.status < 200 || reply.status >= 300 || j.is_discarded()) {
        std::string why = "the token endpoint " + r.token_endpoint + " answered HTTP " + std::to_string(reply.status);
        if (!j.is_discarded() && j.contains("error") && j["error"].is_string()) {
            why += ": " + j["error"].get<std::string>();
            if (j.contains("error_description") && j["error_description"].is_string())
                why += " (" + j["error_description"].get<std::string>() + ")";
        }
        // 4xx: the server looked at the grant and said no (invalid_grant, …); a
        // 5xx or garbage may pass. Callers drop credentials only on the former.
        if (reply.status >= 400 && reply.status < 500) throw sdk::Error(COWORK_E_DENIED, kRejectedGrant, why);
        throw sdk::failed(why);
    }
    TokenSet t;
    t.access_token = j.value("access_token", "");
    if (t.access_token.empty()) throw sdk::failed("the token endpoint " + r.token_endpoint + " answered without an access_token");
    const std::string type = j.value("token_type", "Bearer");
    // A token exchange (RFC 8693) may issue something that is no access token ("N_A").
    const bool exchanged = j.contains("issued_token_type");
    if (!exchanged && type != "Bearer" && type != "bearer")
        throw sdk::failed("the token endpoint issued a '" + type + "' token; MCP servers take Bearer tokens only");
    t.refresh_token = j.value("refresh_token", "");
    t.scope = j.contains("scope") && j["scope"].is_string() ? j["scope"].get<std::string>() : requested_scope;
    if (j.contains("expires_in") && j["expires_in"].is_number()) t.expires_at = now_seconds() + j["expires_in"].get<long long>();
    return t;
}

void authenticate_client(const ClientIdentity& client, FormFields& body, std::map<std::string, std::string>& headers) {
    if (client.auth_method == "client_secret_basic" && !client.client_secret.empty()) {
        // RFC 6749 §2.3.1: both parts form-encoded before base64.
        headers["Authorization"] =
            "Basic " + base64(percent_encode(client.client_id) + ":" + percent_encode(client.client_secret));
        return;
    }
    body.emplace_back("client_id", client.client_id);
    if (client.auth_method == "private_key_jwt") {
        body.emplace_back("client_assertion_type", kJwtBearerAssertionType);
        body.emplace_back("client_assertion",
                          es256_client_assertion(client.assertion_key_pem, client.client_id, client.assertion_audience));
        return;
    }
    if (client.auth_method == "client_secret_post" && !client.client_secret.empty())
        body.emplace_back("client_secret", client.client_secret);
}

TokenSet exchange_code(const HttpFetch& http, const TokenRequest& r, const std::string& code,
                       const std::string& redirect_uri, const std::string& verifier) {
    return token_request(http, r,
                              {{"grant_type", "authorization_code"},
                               {"code", code},
                               {"redirect_uri", redirect_uri},
                               {"code_verifier", verifier}},
                              "");
}

TokenSet refresh_tokens(const HttpFetch& http, const TokenRequest& r, const std::string& refresh_token) {
    TokenSet t = token_request(http, r, {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}}, "");
    if (t.refresh_token.empty()) t.refresh_token = refresh_token;  // not rotated: the old one stays valid
    return t;
}

TokenSet client_credentials(const HttpFetch& http, const TokenRequest& r, const std::vector<std::string>& scopes) {
    FormFields body{{"grant_type", "client_credentials"}};
    if (!scopes.empty()) body.emplace_back("scope", join_scopes(scopes));
    return token_request(http, r, body, join_scopes(scopes));
}

}  // namespace cowork::mcp::oauth
