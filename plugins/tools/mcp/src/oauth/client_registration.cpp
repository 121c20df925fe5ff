#include "oauth/client_registration.hpp"

#include "oauth/www_authenticate.hpp"

#include <cowork/sdk/error.hpp>

#include <algorithm>

namespace cowork::mcp::oauth {
namespace {

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

ClientIdentity register_dynamically(const HttpFetch& http, const ServerMetadata& as, const RegistrationInputs& in) {
    // A native app is a public client (RFC 8252 §8.4) unless the server takes no public clients.
    const std::string requested = as.token_endpoint_auth_methods.empty() || has(as.token_endpoint_auth_methods, "none")
                                      ? "none"
                                      : choose_auth_method(as.token_endpoint_auth_methods, true);
    Json body{{"client_name", in.settings.client_name},
              {"redirect_uris", Json::array({in.redirect_uri})},
              {"grant_types", Json::array({"authorization_code", "refresh_token"})},
              {"response_types", Json::array({"code"})},
              {"token_endpoint_auth_method", requested}};
    if (!in.settings.scopes.empty()) body["scope"] = join_scopes(in.settings.scopes);
    const HttpReply reply = http.post_json(as.registration_endpoint, body);
    const Json j = reply.json();
    if (reply.status < 200 || reply.status >= 300 || j.is_discarded() || !j.contains("client_id") || !j["client_id"].is_string())
        throw sdk::failed("dynamic client registration at " + as.registration_endpoint + " failed (HTTP " +
                          std::to_string(reply.status) + "); register a client with the authorization server and set auth.client_id");
    ClientIdentity c;
    c.how = "dynamic registration";
    c.client_id = j["client_id"].get<std::string>();
    c.client_secret = j.value("client_secret", "");
    const std::string registered = j.value("token_endpoint_auth_method", "");
    c.auth_method = !registered.empty() ? registered : choose_auth_method(as.token_endpoint_auth_methods, !c.client_secret.empty());
    if (c.auth_method != "none" && c.client_secret.empty()) c.auth_method = "none";
    return c;
}

}  // namespace

std::string choose_auth_method(const std::vector<std::string>& supported, bool has_secret) {
    const std::vector<std::string> offered = supported.empty() ? std::vector<std::string>{"client_secret_basic"} : supported;
    if (has_secret) {
        for (const char* m : {"client_secret_basic", "client_secret_post"})
            if (has(offered, m)) return m;
    }
    return "none";
}

ClientIdentity obtain_client(const HttpFetch& http, const ServerMetadata& as, const RegistrationInputs& in) {
    if (!in.settings.client_id.empty()) {
        ClientIdentity c;
        c.how = "pre-registered";
        c.client_id = in.settings.client_id;
        c.client_secret = in.client_secret;
        c.auth_method = choose_auth_method(as.token_endpoint_auth_methods, !c.client_secret.empty());
        return c;
    }
    if (as.client_id_metadata_documents && !in.settings.client_metadata_url.empty()) {
        ClientIdentity c;
        c.how = "metadata document";
        c.client_id = in.settings.client_metadata_url;
        c.auth_method = "none";
        return c;
    }
    if (!as.registration_endpoint.empty() && !in.redirect_uri.empty()) return register_dynamically(http, as, in);
    throw sdk::failed("the authorization server " + as.issuer +
                      " offers no dynamic client registration" +
                      (as.client_id_metadata_documents ? " (it accepts client metadata documents: set auth.client_metadata_url)" : "") +
                      "; register a client there and set auth.client_id (and auth.client_secret naming its secret)");
}

}  // namespace cowork::mcp::oauth
