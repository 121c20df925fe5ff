// mcp.login's flow end to end against a scripted resource + authorization
// server on 127.0.0.1, through the kernel's real cowork.http/1: before a
// login the link's authorizer says "needs login"; the login discovers the
// metadata, registers dynamically, hands out the authorization URL; the
// test plays the browser (authorize → 302 → loopback listener); the token
// exchange checks the PKCE verifier against the challenge; a new link then
// carries the token, refreshes it on a 401, and drops it once the refresh
// token is revoked. A redirect with a foreign state is refused. The grant is
// put into the secrets service, so a restarted plugin needs no new login.
#include "llm_test_host.hpp"
#include "loaded_mcp.hpp"
#include "oauth/encoding.hpp"
#include "oauth/link_authorizer.hpp"
#include "oauth/login_sessions.hpp"
#include "oauth/pkce.hpp"
#include "support/scripted_http_server.hpp"

#include <cowork/sdk/sink.hpp>

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <thread>

namespace cowork::mcp::oauth {
namespace {

using cowork::testing::RecordedRequest;
using cowork::testing::ScriptedResponse;

ScriptedResponse json_reply(int status, const Json& body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    ScriptedResponse r;
    r.status = status;
    r.headers = std::move(headers);
    r.headers.emplace_back("Content-Type", "application/json");
    r.chunks = {body.dump()};
    return r;
}

std::map<std::string, std::string> query_of(const std::string& target) {
    const auto q = target.find('?');
    return q == std::string::npos ? std::map<std::string, std::string>{} : parse_query(target.substr(q + 1));
}

// One server playing both roles; what it saw is kept for the assertions.
struct OAuthPeer {
    cowork::testing::ScriptedServer server;
    std::mutex mutex;
    std::map<std::string, std::string> authorize_query;
    std::map<std::string, std::string> token_body;
    int refreshes = 0;

    std::string base() { return server.base_url(); }
    std::string challenge() {
        return "Bearer error=\"invalid_token\", resource_metadata=\"" + base() +
               "/.well-known/oauth-protected-resource/mcp\", scope=\"files:read\"";
    }

    OAuthPeer() {
        server.route("POST", "/mcp", [this](const RecordedRequest& r) {
            auto it = r.headers.find("authorization");
            if (it == r.headers.end() || it->second.rfind("Bearer tok-", 0) != 0)
                return json_reply(401, {{"error", "invalid_token"}}, {{"WWW-Authenticate", challenge()}});
            return json_reply(200, {{"jsonrpc", "2.0"}, {"id", 0}, {"result", Json::object()}});
        });
        server.route("GET", "/.well-known/oauth-protected-resource/mcp", [this](const RecordedRequest&) {
            return json_reply(200, {{"resource", base() + "/mcp"}, {"authorization_servers", {base()}}});
        });
        server.route("GET", "/.well-known/oauth-authorization-server", [this](const RecordedRequest&) {
            return json_reply(200, {{"issuer", base()},
                                    {"authorization_endpoint", base() + "/authorize"},
                                    {"token_endpoint", base() + "/token"},
                                    {"registration_endpoint", base() + "/register"},
                                    {"code_challenge_methods_supported", {"S256"}},
                                    {"token_endpoint_auth_methods_supported", {"none"}}});
        });
        server.route("POST", "/register", [](const RecordedRequest& r) {
            const Json body = Json::parse(r.body, nullptr, false);
            if (!body.is_object() || body.value("token_endpoint_auth_method", "") != "none") return json_reply(400, {{"error", "x"}});
            return json_reply(201, {{"client_id", "dyn-1"}, {"token_endpoint_auth_method", "none"}});
        });
        server.route("GET", "/authorize", [this](const RecordedRequest& r) {
            auto q = query_of(r.target);
            {
                std::lock_guard lock(mutex);
                authorize_query = q;
            }
            ScriptedResponse redirect;
            redirect.status = 302;
            redirect.headers = {{"Location", q["redirect_uri"] + "?code=code-1&state=" + percent_encode(q["state"])}};
            return redirect;
        });
        server.route("POST", "/token", [this](const RecordedRequest& r) {
            const auto body = parse_query(r.body);
            std::lock_guard lock(mutex);
            if (body.at("grant_type") == "refresh_token") {
                // One refresh, then the refresh token counts as revoked.
                if (++refreshes > 1 || body.count("refresh_token") == 0 || body.at("refresh_token") != "ref-1")
                    return json_reply(400, {{"error", "invalid_grant"}});
                return json_reply(200, {{"access_token", "tok-2"}, {"token_type", "Bearer"}, {"expires_in", 3600}});
            }
            token_body = body;
            const bool pkce_ok = body.count("code_verifier") && s256_challenge(body.at("code_verifier")) == authorize_query["code_challenge"];
            if (!pkce_ok || body.at("code") != "code-1" || body.at("client_id") != "dyn-1")
                return json_reply(400, {{"error", "invalid_grant"}});
            return json_reply(200, {{"access_token", "tok-1"}, {"token_type", "Bearer"}, {"refresh_token", "ref-1"},
                                    {"expires_in", 3600}, {"scope", "files:read"}});
        });
    }
};

Json wait_for_login(const std::string& server) {
    Json s;
    for (int i = 0; i < 200; ++i) {
        s = LoginSessions::instance().status(server);
        if (s.is_object() && s.value("state", "") != "pending") return s;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return s;
}

TEST(OAuthLogin, BrowserRedirectCompletesTheLoginAndLinksUseTheToken) {
    OAuthPeer peer;
    llm_testing::KernelHttp http("tool.mcp", {"*"});
    llm_testing::TestHost host("tool.mcp");
    host.set_http(http.table());
    const sdk::Host sdk_host(host.raw());
    const ServerConfig config =
        parse_server_config("files", {{"url", peer.base() + "/mcp"}, {"auth", {{"type", "oauth"}}}});

    // No person at hand: the connection can only say what to do.
    const auto before = authorizer_for(sdk_host, config, {})->on_challenge(401, peer.challenge(), "");
    EXPECT_FALSE(before.retry);
    EXPECT_NE(before.why.find("needs login: run `cowork mcp login files`"), std::string::npos) << before.why;

    const Json started = LoginSessions::instance().start(sdk_host, config, std::chrono::seconds(20));
    const std::string url = started.value("authorizationUrl", "");
    ASSERT_EQ(url.rfind(peer.base() + "/authorize?", 0), 0u) << started.dump();
    const auto q = query_of(url);
    EXPECT_EQ(q.at("client_id"), "dyn-1");
    EXPECT_EQ(q.at("resource"), peer.base() + "/mcp");
    EXPECT_EQ(q.at("scope"), "files:read");
    EXPECT_EQ(q.at("code_challenge_method"), "S256");
    EXPECT_EQ(q.at("redirect_uri").rfind("http://127.0.0.1:", 0), 0u);

    // The browser: the authorization endpoint redirects to the loopback listener.
    const HttpFetch browser(sdk_host);
    const HttpReply page = browser.get(url);
    ASSERT_EQ(page.status, 302);
    EXPECT_EQ(browser.get(page.header("location")).status, 200);
    const Json done = wait_for_login("files");
    ASSERT_EQ(done.value("state", ""), "done") << done.dump();
    {
        std::lock_guard lock(peer.mutex);
        EXPECT_EQ(peer.token_body.at("resource"), peer.base() + "/mcp");
        EXPECT_EQ(peer.token_body.at("redirect_uri"), q.at("redirect_uri"));
    }

    // A new connection finds the grant; a 401 for its token refreshes it.
    const auto link = authorizer_for(sdk_host, config, {});
    EXPECT_EQ(link->access_token(), "tok-1");
    const auto refreshed = link->on_challenge(401, peer.challenge(), "tok-1");
    EXPECT_TRUE(refreshed.retry) << refreshed.why;
    EXPECT_EQ(link->access_token(), "tok-2");
    EXPECT_EQ(peer.refreshes, 1);
    // Revoked: the refresh is refused, nobody can log in here, and the useless grant is dropped.
    const auto revoked = link->on_challenge(401, peer.challenge(), "tok-2");
    EXPECT_FALSE(revoked.retry);
    EXPECT_NE(revoked.why.find("needs login"), std::string::npos) << revoked.why;
    EXPECT_EQ(authorizer_for(sdk_host, config, {})->access_token(), "");
    // The grant never went into the config or the log: only the secret's name is known to the config.
    EXPECT_EQ(config.to_json()["auth"].dump().find("tok-"), std::string::npos);
}

TEST(OAuthLogin, RedirectWithAForeignStateIsRefused) {
    OAuthPeer peer;
    llm_testing::KernelHttp http("tool.mcp", {"*"});
    llm_testing::TestHost host("tool.mcp");
    host.set_http(http.table());
    const sdk::Host sdk_host(host.raw());
    const ServerConfig config =
        parse_server_config("forged", {{"url", peer.base() + "/mcp"}, {"auth", {{"type", "oauth"}}}});
    const Json started = LoginSessions::instance().start(sdk_host, config, std::chrono::seconds(20));
    const auto q = query_of(started.value("authorizationUrl", ""));
    ASSERT_TRUE(q.count("redirect_uri")) << started.dump();
    // An attacker's page sends the browser to the listener with its own code and state.
    EXPECT_EQ(HttpFetch(sdk_host).get(q.at("redirect_uri") + "?code=code-1&state=forged").status, 200);
    const Json failed = wait_for_login("forged");
    EXPECT_EQ(failed.value("state", ""), "failed");
    EXPECT_NE(failed.value("message", "").find("state"), std::string::npos) << failed.dump();
    std::lock_guard lock(peer.mutex);
    EXPECT_TRUE(peer.token_body.empty());  // no code was exchanged
}

// mcp.login, then the person's browser: open the authorization URL (the
// scripted server approves with a 302) and follow the redirect to the
// plugin's loopback listener. Returns the server's mcp.list entry once its
// login is no longer pending (the module's own login sessions, not this
// binary's).
Json log_in_through_the_browser(const LoadedMcp& plugin, llm_testing::TestHost& host, OAuthPeer& peer,
                                const std::string& server) {
    const Json started = plugin.method("mcp.login", {{"server", server}});
    const std::string url = started.value("authorizationUrl", "");
    EXPECT_EQ(url.rfind(peer.base() + "/authorize?", 0), 0u) << started.dump();
    const HttpFetch browser{sdk::Host(host.raw())};
    const HttpReply page = browser.get(url);
    EXPECT_EQ(page.status, 302);
    EXPECT_EQ(browser.get(page.header("location")).status, 200);
    Json entry;
    for (int i = 0; i < 200; ++i) {
        entry = plugin.server(server);
        if (entry["auth"].contains("login") && entry["auth"]["login"].value("state", "") != "pending") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return entry;
}

TEST(OAuthLogin, PluginReportsNeedsLoginAndMcpLoginCompletesIt) {
    OAuthPeer peer;
    llm_testing::KernelHttp http("tool.mcp", {"*"});
    const Json config{{"startup_wait_ms", 0},
                      {"servers", {{"tracker", {{"url", peer.base() + "/mcp"}, {"auth", {{"type", "oauth"}}}}}}}};
    llm_testing::TestHost host("tool.mcp", config);
    host.set_http(http.table());
    LoadedMcp plugin(host);

    const Json before = plugin.server("tracker");
    EXPECT_EQ(before.value("state", ""), "needs_login") << before.dump();
    EXPECT_NE(before.value("lastError", "").find("cowork mcp login tracker"), std::string::npos) << before.dump();
    EXPECT_EQ(before["auth"].value("authorized", true), false);
    const Json tested = plugin.method("mcp.test", {{"name", "tracker"}});
    EXPECT_EQ(tested.value("ok", true), false);
    EXPECT_EQ(tested.value("state", ""), "needs_login") << tested.dump();

    const Json after = log_in_through_the_browser(plugin, host, peer, "tracker");
    EXPECT_EQ(after["auth"]["login"].value("state", ""), "done") << after.dump();
    EXPECT_EQ(after["auth"].value("authorized", false), true) << after.dump();
    EXPECT_NE(after.value("state", ""), "needs_login");
    EXPECT_EQ(after.dump().find("tok-1"), std::string::npos);  // tokens never show in mcp.list
    // The grant is offered to the secrets service under the server's name (and stored there by put).
    const auto asked = host.secret_requests();
    EXPECT_NE(std::find(asked.begin(), asked.end(), "mcp.tracker.oauth.grant"), asked.end());
    EXPECT_EQ(host.secrets().count("mcp.tracker.oauth.grant"), 1u);

    const Json refused = plugin.method("mcp.login", {{"name", "nope"}});
    EXPECT_TRUE(refused.contains("error")) << refused.dump();
}

// A "restart": the login's grant went into the secrets service (put), so a
// fresh plugin instance over the same secrets is authorized without a new
// login and sends the stored token; one over empty secrets needs a login
// (so nothing was carried over in process memory).
TEST(OAuthLogin, ALoginSurvivesARestartThroughTheSecretsService) {
    OAuthPeer peer;
    llm_testing::KernelHttp http("tool.mcp", {"*"});
    const Json config{{"startup_wait_ms", 0},
                      {"servers", {{"keeper", {{"url", peer.base() + "/mcp"}, {"auth", {{"type", "oauth"}}},
                                                // the scripted peer answers initialize with no usable result:
                                                // do not let each stop wait the default 30 s for it
                                                {"connect_timeout_ms", 1000}}}}}};
    const std::string key = "mcp.keeper.oauth.grant";
    std::map<std::string, std::string> stored;
    {
        llm_testing::TestHost host("tool.mcp", config);
        host.set_http(http.table());
        LoadedMcp plugin(host);
        const Json done = log_in_through_the_browser(plugin, host, peer, "keeper")["auth"].value("login", Json::object());
        ASSERT_EQ(done.value("state", ""), "done") << done.dump();
        EXPECT_NE(done.value("message", "").find("survives a restart"), std::string::npos) << done.dump();
        stored = host.secrets();
        ASSERT_TRUE(stored.count(key)) << "the grant was put into the secrets service";
        const Json grant = Json::parse(stored[key], nullptr, false);
        EXPECT_EQ(grant.value("access_token", ""), "tok-1");
        EXPECT_EQ(grant.value("refresh_token", ""), "ref-1");
    }
    const size_t before_restart = peer.server.requests().size();

    llm_testing::TestHost restarted("tool.mcp", config);
    restarted.set_http(http.table());
    restarted.set_secret(key, stored[key]);
    LoadedMcp plugin(restarted);
    const Json after = plugin.server("keeper");
    EXPECT_EQ(after["auth"].value("authorized", false), true) << after.dump();
    EXPECT_NE(after.value("state", ""), "needs_login") << after.dump();
    (void)plugin.method("mcp.test", {{"name", "keeper"}});  // at least one request with the token
    const auto requests = peer.server.requests();
    bool sent_stored_token = false;
    for (size_t i = before_restart; i < requests.size(); ++i) {
        const auto& r = requests[i];
        EXPECT_NE(r.target.rfind("/authorize", 0), 0u) << "no new login after the restart";
        EXPECT_NE(r.target, "/register");
        auto auth = r.headers.find("authorization");
        if (r.target == "/mcp" && auth != r.headers.end() && auth->second == "Bearer tok-1") sent_stored_token = true;
    }
    EXPECT_TRUE(sent_stored_token) << "the restarted plugin used the stored grant";

    llm_testing::TestHost empty("tool.mcp", config);
    empty.set_http(http.table());
    LoadedMcp fresh(empty);
    EXPECT_EQ(fresh.server("keeper")["auth"].value("authorized", true), false);
}

}  // namespace
}  // namespace cowork::mcp::oauth
