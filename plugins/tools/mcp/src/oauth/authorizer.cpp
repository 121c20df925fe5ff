#include "oauth/authorizer.hpp"

#include "oauth/authorization_url.hpp"
#include "oauth/client_registration.hpp"
#include "oauth/cross_app_access.hpp"
#include "oauth/loopback_listener.hpp"
#include "oauth/metadata_urls.hpp"
#include "oauth/pkce.hpp"
#include "oauth/scope_selection.hpp"

#include <cowork/sdk/error.hpp>

#include <algorithm>

namespace cowork::mcp::oauth {
namespace {

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

Authorizer::Authorizer(sdk::Host host, AuthorizerOptions options)
    : host_(host), options_(std::move(options)), http_(host, options_.http_timeout) {
    if (!options_.store) options_.store = std::make_shared<MemoryTokenStore>();
}

std::string Authorizer::needs_login_message(const std::string& server_name) {
    return "needs login: run `cowork mcp login " + server_name + "` (API: mcp.login {\"name\": \"" + server_name +
           "\"}) and open the URL it prints";
}

void Authorizer::log(int level, const std::string& text) const {
    if (options_.log) options_.log(level, "oauth: " + text);
}

std::optional<StoredGrant> Authorizer::current() {
    std::lock_guard lock(mutex_);
    // Without a grant, look again each time: a login (mcp.login) may have stored one since.
    if (!loaded_ || !grant_) {
        grant_ = options_.store->load();
        loaded_ = true;
    }
    return grant_;
}

bool Authorizer::remember(const StoredGrant& grant) {
    {
        std::lock_guard lock(mutex_);
        grant_ = grant;
        loaded_ = true;
    }
    return options_.store->save(grant);
}

void Authorizer::forget() {
    {
        std::lock_guard lock(mutex_);
        grant_.reset();
    }
    options_.store->clear();
}

std::string Authorizer::access_token() {
    const auto g = current();
    return g ? g->tokens.access_token : "";
}

ClientIdentity Authorizer::signing_client(const ServerMetadata& as) const {
    const auto& methods = as.token_endpoint_auth_methods;
    if (!methods.empty() && std::find(methods.begin(), methods.end(), "private_key_jwt") == methods.end())
        throw sdk::failed("the authorization server " + as.issuer + " does not accept private_key_jwt client authentication");
    ClientIdentity c;
    c.client_id = options_.settings.client_id;
    c.auth_method = "private_key_jwt";
    c.how = "pre-registered";
    c.assertion_audience = as.issuer;
    try {
        c.assertion_key_pem = host_.secret(options_.settings.client_private_key);
    } catch (const std::exception& e) {
        throw sdk::failed("cannot read the OAuth client key '" + options_.settings.client_private_key + "' for server '" +
                          options_.server_name + "': " + e.what() + " (store the PEM with `cowork secrets set " +
                          options_.settings.client_private_key + "`)");
    }
    return c;
}

std::string Authorizer::client_secret_value() const {
    if (options_.settings.client_secret.empty()) return "";
    try {
        return host_.secret(options_.settings.client_secret);
    } catch (const std::exception& e) {
        throw sdk::failed("cannot read the OAuth client secret '" + options_.settings.client_secret + "' for server '" +
                          options_.server_name + "': " + e.what() + " (store it with `cowork secrets set " +
                          options_.settings.client_secret + "`)");
    }
}

Authorizer::Outcome Authorizer::on_challenge(int status, const std::string& www_authenticate, const std::string& token_sent) {
    std::lock_guard flow(flow_mutex_);
    const BearerChallenge challenge = bearer_challenge(www_authenticate);
    if (status == 403 && challenge.error != "insufficient_scope")
        return {false, "HTTP 403 from " + options_.server_url + (challenge.error.empty() ? "" : ": " + challenge.error)};
    const auto grant = current();
    // Another request already replaced the token this one was sent with.
    if (grant && grant->tokens.access_token != token_sent) return {true, ""};
    // Whether the current grant can still be renewed later: only an explicit
    // refusal of its refresh token (not an outage) makes it worthless.
    bool renewable = grant && !grant->tokens.refresh_token.empty() && !grant->token_endpoint.empty();
    try {
        if (status == 401 && renewable) {
            try {
                StoredGrant next = *grant;
                next.tokens = refresh_tokens(http_, {grant->token_endpoint, grant->client, grant->resource},
                                             grant->tokens.refresh_token);
                if (next.tokens.scope.empty()) next.tokens.scope = grant->tokens.scope;
                remember(next);
                log(COWORK_LOG_INFO, "refreshed the access token");
                return {true, ""};
            } catch (const sdk::Error& e) {
                if (e.code() == kRejectedGrant) renewable = false;
                log(COWORK_LOG_INFO, std::string("refreshing the token failed (") + e.what() + "); authorizing again");
            } catch (const std::exception& e) {
                log(COWORK_LOG_INFO, std::string("refreshing the token failed (") + e.what() + "); authorizing again");
            }
        }
        // Step-up keeps the scopes the current token was granted.
        const std::vector<std::string> granted =
            status == 403 && grant ? split_scopes(grant->tokens.scope) : std::vector<std::string>{};
        remember(authorize(challenge, granted));
        return {true, ""};
    } catch (const std::exception& e) {
        // A rejected token that could not be renewed is of no use: forget it,
        // so the server shows up as needing a login rather than as authorized.
        if (status == 401 && grant && !renewable) forget();
        return {false, e.what()};
    }
}

Json Authorizer::login(const std::string& www_authenticate) {
    if (!options_.open_url) throw sdk::failed("a login needs a way to show the authorization URL");
    std::lock_guard flow(flow_mutex_);
    const StoredGrant grant = authorize(bearer_challenge(www_authenticate), {});
    const bool persisted = remember(grant);
    return {{"client", grant.client.how}, {"scope", grant.tokens.scope}, {"persisted", persisted},
            {"refreshable", !grant.tokens.refresh_token.empty()}};
}

StoredGrant Authorizer::authorize(const BearerChallenge& challenge, const std::vector<std::string>& already_granted) {
    // Nobody to send through a browser: say so before any discovery traffic.
    if (options_.settings.grant == "authorization_code" && !options_.open_url)
        throw sdk::failed(needs_login_message(options_.server_name));
    const auto say = [this](const std::string& t) { log(COWORK_LOG_DEBUG, t); };
    const ResourceMetadata rm = discover_resource(http_, options_.server_url, challenge.resource_metadata, say);
    std::string issuer = origin_of(options_.server_url);
    std::string resource;
    if (rm.found) {
        if (!rm.resource.empty() && !resource_matches(rm.resource, options_.server_url))
            throw sdk::failed("the protected resource metadata at " + rm.url + " names the resource " + rm.resource +
                              ", not this server (" + options_.server_url +
                              "); refusing to authorize: a token for it could be replayed elsewhere");
        if (rm.authorization_servers.empty())
            throw sdk::failed("the protected resource metadata at " + rm.url + " names no authorization_servers");
        issuer = rm.authorization_servers.front();
        resource = rm.resource.empty() ? canonical_resource(options_.server_url) : rm.resource;
    } else {
        log(COWORK_LOG_INFO, "no protected resource metadata; using the 2025-03-26 discovery on " + issuer);
    }
    ServerMetadata as = discover_server(http_, issuer, say);
    if (!as.found) {
        log(COWORK_LOG_INFO, "no authorization server metadata for " + issuer + "; using /authorize, /token, /register there");
        as = default_endpoints(rm.found ? canonical_resource(issuer) : origin_of(issuer));
    } else if (!has(as.code_challenge_methods, "S256")) {
        throw sdk::failed("the authorization server " + issuer +
                          " does not list S256 in code_challenge_methods_supported; MCP clients must not authorize without PKCE");
    }
    if (as.authorization_endpoint.empty() && options_.settings.grant != "client_credentials")
        throw sdk::failed("the authorization server metadata at " + as.url + " has no authorization_endpoint");
    if (as.token_endpoint.empty()) throw sdk::failed("the authorization server metadata at " + as.url + " has no token_endpoint");

    ScopeInputs si;
    si.challenge = challenge.scopes;
    si.configured = options_.settings.scopes;
    si.resource_supported = rm.scopes_supported;
    si.server_supported = as.scopes_supported;
    si.already_granted = already_granted;
    si.wants_refresh_token = options_.settings.grant == "authorization_code";
    const std::vector<std::string> scopes = select_scopes(si);

    if (options_.settings.grant == "cross_app_access") return cross_app_access(as, scopes, resource);
    if (options_.settings.grant == "client_credentials") {
        const auto& s = options_.settings;
        if (s.client_id.empty() || (s.client_secret.empty() && s.client_private_key.empty()))
            throw sdk::invalid("auth.grant = \"client_credentials\" needs auth.client_id and auth.client_secret or "
                               "auth.client_private_key (secret names)");
        StoredGrant g;
        g.client = s.client_private_key.empty() ? obtain_client(http_, as, {s, client_secret_value(), ""})
                                                : signing_client(as);
        g.token_endpoint = as.token_endpoint;
        g.resource = resource;
        g.tokens = client_credentials(http_, {as.token_endpoint, g.client, resource}, scopes);
        log(COWORK_LOG_INFO, "authorized with client credentials");
        return g;
    }
    StoredGrant g = authorization_code_flow(as, scopes, resource);
    if (g.tokens.scope.empty()) g.tokens.scope = join_scopes(scopes);
    return g;
}

StoredGrant Authorizer::cross_app_access(const ServerMetadata& as, const std::vector<std::string>& scopes,
                                         const std::string& resource) {
    const auto& s = options_.settings;
    if (s.client_id.empty() || s.client_secret.empty() || s.idp_token_endpoint.empty() || s.idp_id_token.empty())
        throw sdk::invalid("auth.grant = \"cross_app_access\" needs auth.client_id, auth.client_secret, "
                           "auth.idp_token_endpoint and auth.idp_id_token (a secret name)");
    std::string id_token;
    try {
        id_token = host_.secret(s.idp_id_token);
    } catch (const std::exception& e) {
        throw sdk::failed("cannot read the ID token secret '" + s.idp_id_token + "' for server '" + options_.server_name +
                          "': " + e.what());
    }
    const std::string assertion = request_identity_assertion(
        http_, {s.idp_token_endpoint, s.idp_client_id, id_token, as.issuer.empty() ? origin_of(as.token_endpoint) : as.issuer,
                resource.empty() ? canonical_resource(options_.server_url) : resource, scopes});
    StoredGrant g;
    g.client = obtain_client(http_, as, {s, client_secret_value(), ""});
    g.token_endpoint = as.token_endpoint;
    g.resource = resource;
    g.tokens = jwt_bearer_grant(http_, {as.token_endpoint, g.client, resource}, assertion, scopes);
    log(COWORK_LOG_INFO, "authorized through the identity provider (cross-app access)");
    return g;
}

StoredGrant Authorizer::authorization_code_flow(const ServerMetadata& as, const std::vector<std::string>& scopes,
                                                const std::string& resource) {
    LoopbackListener listener;
    StoredGrant g;
    g.client = obtain_client(http_, as, {options_.settings, client_secret_value(), listener.redirect_uri()});
    g.token_endpoint = as.token_endpoint;
    g.resource = resource;
    log(COWORK_LOG_INFO, "client: " + g.client.how + "; token endpoint authentication: " + g.client.auth_method);
    const Pkce pkce = make_pkce();
    const std::string state = random_token(24);
    options_.open_url(authorization_url({as.authorization_endpoint, g.client.client_id, listener.redirect_uri(),
                                         pkce.challenge, state, scopes, resource}));
    cancelled_ = false;
    const auto params = listener.wait(std::chrono::steady_clock::now() + options_.redirect_timeout, &cancelled_);
    auto get = [&](const char* k) {
        auto it = params.find(k);
        return it == params.end() ? std::string() : it->second;
    };
    if (!get("error").empty())
        throw sdk::failed("the authorization server did not grant access: " + get("error") +
                          (get("error_description").empty() ? "" : " (" + get("error_description") + ")"));
    if (get("state") != state)
        throw sdk::failed("the authorization redirect carried a state that does not belong to this login; ignored it "
                          "(run the login again)");
    if (get("code").empty()) throw sdk::failed("the authorization redirect carried no code");
    g.tokens = exchange_code(http_, {as.token_endpoint, g.client, resource}, get("code"), listener.redirect_uri(), pkce.verifier);
    log(COWORK_LOG_INFO, "authorized (" + std::string(g.tokens.refresh_token.empty() ? "no refresh token" : "refreshable") + ")");
    return g;
}

}  // namespace cowork::mcp::oauth
