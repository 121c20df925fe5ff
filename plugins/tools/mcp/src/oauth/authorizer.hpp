// authorizer.hpp — OAuth 2.1 for one HTTP MCP server (MCP authorization,
// 2025-11-25, with the 2025-03-26 fallbacks). The transport asks it for the
// bearer to attach and hands it every 401/403; it refreshes, re-authorizes
// (step-up on insufficient_scope) or says why it cannot. One flow runs at a
// time; concurrent requests that hit the same 401 reuse its result.
//
// The authorization code step needs a person with a browser: `open_url`
// shows them the URL (mcp.login returns it; the conformance runner plays the
// browser). Without it a connection that needs a login fails with
// "needs login: run `cowork mcp login <server>`".
#pragma once

#include "oauth/http_fetch.hpp"
#include "oauth/metadata_discovery.hpp"
#include "oauth/oauth_settings.hpp"
#include "oauth/token_store.hpp"
#include "oauth/www_authenticate.hpp"

#include <cowork/sdk/host.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace cowork::mcp::oauth {

struct AuthorizerOptions {
    std::string server_name;
    std::string server_url;
    OAuthSettings settings;
    std::shared_ptr<TokenStore> store;
    // Shows the person the authorization URL; must return promptly (the
    // redirect is awaited afterwards). Empty: nobody is there to log in.
    std::function<void(const std::string& url)> open_url;
    std::chrono::milliseconds redirect_timeout{std::chrono::minutes(5)};
    std::chrono::milliseconds http_timeout{30000};
    std::function<void(int level, const std::string&)> log;
};

class Authorizer {
public:
    Authorizer(sdk::Host host, AuthorizerOptions options);

    // The bearer to send, "" before any authorization.
    std::string access_token();

    struct Outcome {
        bool retry = false;  // a new token is there: send the request again
        std::string why;     // when not: what happened and what to do
    };
    // A 401 or 403 answered a request sent with `token_sent`.
    Outcome on_challenge(int status, const std::string& www_authenticate, const std::string& token_sent);

    // The interactive flow from the start (mcp.login), from the challenge of
    // an unauthenticated request ("" when the server sent none). Throws
    // sdk::Error; returns {client, scope, persisted}.
    Json login(const std::string& www_authenticate);

    void cancel() { cancelled_ = true; }
    static std::string needs_login_message(const std::string& server_name);

private:
    StoredGrant authorize(const BearerChallenge& challenge, const std::vector<std::string>& already_granted);
    // Registers (or names) the client and runs code + PKCE through the person's browser.
    StoredGrant authorization_code_flow(const ServerMetadata& as, const std::vector<std::string>& scopes,
                                        const std::string& resource);
    // SEP-990: the IdP's ID token → ID-JAG → access token, no person needed.
    StoredGrant cross_app_access(const ServerMetadata& as, const std::vector<std::string>& scopes, const std::string& resource);
    std::string client_secret_value() const;
    // The pre-registered client authenticating with an ES256 assertion (private_key_jwt).
    ClientIdentity signing_client(const ServerMetadata& as) const;
    std::optional<StoredGrant> current();
    bool remember(const StoredGrant& grant);
    void forget();
    void log(int level, const std::string& text) const;

    sdk::Host host_;
    AuthorizerOptions options_;
    HttpFetch http_;
    std::mutex flow_mutex_;  // one discovery/authorization at a time
    std::mutex mutex_;
    std::optional<StoredGrant> grant_;
    bool loaded_ = false;
    std::atomic<bool> cancelled_{false};
};

}  // namespace cowork::mcp::oauth
