// tool.mcp's OAuth pieces on their own: PKCE (RFC 7636 appendix B),
// SHA-256 vectors, WWW-Authenticate parsing, where metadata is looked for,
// scope selection, the authorization URL, client authentication, the oauth
// config table, and the loopback redirect listener over a real socket.
#include "oauth/authorization_url.hpp"
#include "oauth/client_registration.hpp"
#include "oauth/encoding.hpp"
#include "oauth/loopback_listener.hpp"
#include "oauth/metadata_urls.hpp"
#include "oauth/pkce.hpp"
#include "oauth/scope_selection.hpp"
#include "oauth/sha256.hpp"
#include "oauth/token_client.hpp"
#include "oauth/token_store.hpp"
#include "oauth/www_authenticate.hpp"
#include "server_config.hpp"

#include <cowork/sdk/error.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

namespace cowork::mcp::oauth {
namespace {

using Strings = std::vector<std::string>;

std::string hex(const std::string& bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char c : bytes) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

TEST(OAuthSha256, MatchesFipsVectors) {
    EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // 56 bytes: the padding spills into a second block.
    EXPECT_EQ(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(hex(sha256(std::string(1000, 'a'))), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(OAuthPkce, Rfc7636AppendixB) {
    EXPECT_EQ(s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(OAuthPkce, FreshVerifiersAreLongRandomAndMatchTheirChallenge) {
    const Pkce a = make_pkce(), b = make_pkce();
    EXPECT_EQ(a.verifier.size(), 43u);  // RFC 7636: 43-128 characters
    EXPECT_NE(a.verifier, b.verifier);
    EXPECT_EQ(a.challenge, s256_challenge(a.verifier));
    EXPECT_EQ(a.verifier.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
}

TEST(OAuthEncoding, Base64FormAndQuery) {
    EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64("foob"), "Zm9vYg==");
    EXPECT_EQ(base64url("\xfb\xff"), "-_8");
    EXPECT_EQ(form_encode({{"a b", "x&y=z"}, {"scope", "mcp:read mcp:write"}}), "a%20b=x%26y%3Dz&scope=mcp%3Aread%20mcp%3Awrite");
    const auto q = parse_query("?code=abc%2F1&state=s+t&empty=&code=second");
    EXPECT_EQ(q.at("code"), "abc/1");
    EXPECT_EQ(q.at("state"), "s t");
    EXPECT_EQ(q.at("empty"), "");
}

TEST(OAuthWwwAuthenticate, ReadsTheBearerChallenge) {
    const auto c = bearer_challenge(
        R"(Bearer error="insufficient_scope", scope="mcp:basic mcp:write", )"
        R"(resource_metadata="http://127.0.0.1:9/.well-known/oauth-protected-resource/mcp", error_description="needs \"write\"")");
    ASSERT_TRUE(c.present);
    EXPECT_EQ(c.error, "insufficient_scope");
    EXPECT_EQ(c.scopes, (Strings{"mcp:basic", "mcp:write"}));
    EXPECT_EQ(c.resource_metadata, "http://127.0.0.1:9/.well-known/oauth-protected-resource/mcp");
    EXPECT_EQ(c.error_description, "needs \"write\"");
}

TEST(OAuthWwwAuthenticate, FindsBearerAmongOtherChallengesAndTokenValues) {
    const auto all = parse_www_authenticate(R"(Basic realm="files", Bearer realm="mcp", error=invalid_token)");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].scheme, "basic");
    EXPECT_EQ(all[0].params.at("realm"), "files");
    EXPECT_EQ(all[1].params.at("error"), "invalid_token");
    const auto c = bearer_challenge(R"(Basic realm="files", BEARER Scope="a")");
    EXPECT_TRUE(c.present);
    EXPECT_EQ(c.scopes, Strings{"a"});
    EXPECT_TRUE(bearer_challenge("Bearer").present);
    EXPECT_FALSE(bearer_challenge("Basic realm=\"x\"").present);
    EXPECT_FALSE(bearer_challenge("").present);
}

TEST(OAuthMetadataUrls, ProtectedResourceMetadataOrder) {
    EXPECT_EQ(protected_resource_metadata_urls("http://127.0.0.1:8/mcp", ""),
              (Strings{"http://127.0.0.1:8/.well-known/oauth-protected-resource/mcp",
                       "http://127.0.0.1:8/.well-known/oauth-protected-resource"}));
    EXPECT_EQ(protected_resource_metadata_urls("https://Api.Example.com/v1/mcp/?x=1", "https://api.example.com/custom.json"),
              (Strings{"https://api.example.com/custom.json", "https://api.example.com/.well-known/oauth-protected-resource/v1/mcp",
                       "https://api.example.com/.well-known/oauth-protected-resource"}));
    EXPECT_EQ(protected_resource_metadata_urls("https://example.com/", ""),
              Strings{"https://example.com/.well-known/oauth-protected-resource"});
}

TEST(OAuthMetadataUrls, AuthorizationServerMetadataOrder) {
    EXPECT_EQ(authorization_server_metadata_urls("https://auth.example.com/tenant1"),
              (Strings{"https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
                       "https://auth.example.com/.well-known/openid-configuration/tenant1",
                       "https://auth.example.com/tenant1/.well-known/openid-configuration"}));
    EXPECT_EQ(authorization_server_metadata_urls("https://auth.example.com/"),
              (Strings{"https://auth.example.com/.well-known/oauth-authorization-server",
                       "https://auth.example.com/.well-known/openid-configuration"}));
    EXPECT_TRUE(authorization_server_metadata_urls("not a url").empty());
}

TEST(OAuthMetadataUrls, CanonicalResourceAndMatching) {
    EXPECT_EQ(canonical_resource("HTTPS://Example.COM/mcp/#frag"), "https://example.com/mcp");
    EXPECT_EQ(canonical_resource("https://example.com/"), "https://example.com");
    EXPECT_TRUE(resource_matches("https://example.com/mcp", "https://EXAMPLE.com/mcp/"));
    EXPECT_TRUE(resource_matches("http://localhost:5", "http://localhost:5/mcp"));  // metadata at the origin
    EXPECT_FALSE(resource_matches("https://evil.example.com/mcp", "http://localhost:5/mcp"));
    EXPECT_FALSE(resource_matches("http://localhost:5/mc", "http://localhost:5/mcp"));
    EXPECT_FALSE(resource_matches("http://localhost:5/mcp/other", "http://localhost:5/mcp"));
}

TEST(OAuthScopes, SelectionOrder) {
    ScopeInputs in;
    in.challenge = {"mcp:basic"};
    in.configured = {"cfg"};
    in.resource_supported = {"mcp:basic", "mcp:read"};
    EXPECT_EQ(select_scopes(in), Strings{"mcp:basic"});
    in.challenge.clear();
    EXPECT_EQ(select_scopes(in), Strings{"cfg"});
    in.configured.clear();
    EXPECT_EQ(select_scopes(in), (Strings{"mcp:basic", "mcp:read"}));
    in.resource_supported.clear();
    EXPECT_TRUE(select_scopes(in).empty());  // the scope parameter is left out
}

TEST(OAuthScopes, OfflineAccessOnlyWhenTheServerListsIt) {
    ScopeInputs in;
    in.resource_supported = {"mcp:basic"};
    in.server_supported = {"mcp:basic", "mcp:read"};
    EXPECT_EQ(select_scopes(in), Strings{"mcp:basic"});
    in.server_supported = {"mcp:basic", "offline_access"};
    EXPECT_EQ(select_scopes(in), (Strings{"mcp:basic", "offline_access"}));
    in.wants_refresh_token = false;  // client credentials
    EXPECT_EQ(select_scopes(in), Strings{"mcp:basic"});
}

TEST(OAuthScopes, StepUpKeepsWhatWasGranted) {
    ScopeInputs in;
    in.challenge = {"mcp:write"};
    in.already_granted = {"mcp:basic"};
    EXPECT_EQ(select_scopes(in), (Strings{"mcp:basic", "mcp:write"}));
    in.challenge = {"mcp:basic", "mcp:write"};
    EXPECT_EQ(select_scopes(in), (Strings{"mcp:basic", "mcp:write"}));
}

TEST(OAuthAuthorizationUrl, CarriesPkceStateResourceAndScope) {
    const std::string url = authorization_url({"https://as.example/authorize?tenant=1", "client 1",
                                               "http://127.0.0.1:5000/callback", "CHAL", "st4te",
                                               {"mcp:read", "mcp:write"}, "http://localhost:9/mcp"});
    EXPECT_EQ(url.rfind("https://as.example/authorize?tenant=1&response_type=code&", 0), 0u) << url;
    const auto q = parse_query(url.substr(url.find('?')));
    EXPECT_EQ(q.at("client_id"), "client 1");
    EXPECT_EQ(q.at("redirect_uri"), "http://127.0.0.1:5000/callback");
    EXPECT_EQ(q.at("code_challenge"), "CHAL");
    EXPECT_EQ(q.at("code_challenge_method"), "S256");
    EXPECT_EQ(q.at("state"), "st4te");
    EXPECT_EQ(q.at("scope"), "mcp:read mcp:write");
    EXPECT_EQ(q.at("resource"), "http://localhost:9/mcp");
    const std::string bare = authorization_url({"https://as.example/authorize", "c", "r", "x", "s", {}, ""});
    EXPECT_EQ(bare.find("scope="), std::string::npos);
    EXPECT_EQ(bare.find("resource="), std::string::npos);
}

TEST(OAuthClientAuth, MethodsFollowTheServer) {
    EXPECT_EQ(choose_auth_method({}, true), "client_secret_basic");  // RFC 8414 default
    EXPECT_EQ(choose_auth_method({"client_secret_post"}, true), "client_secret_post");
    EXPECT_EQ(choose_auth_method({"none", "client_secret_basic"}, true), "client_secret_basic");
    EXPECT_EQ(choose_auth_method({"none"}, true), "none");
    EXPECT_EQ(choose_auth_method({"client_secret_basic"}, false), "none");

    FormFields body;
    std::map<std::string, std::string> headers;
    authenticate_client({"id:1", "s3cret", "client_secret_basic", ""}, body, headers);
    EXPECT_EQ(headers.at("Authorization"), "Basic " + base64("id%3A1:s3cret"));
    EXPECT_TRUE(body.empty());
    headers.clear();
    authenticate_client({"id", "s3cret", "client_secret_post", ""}, body, headers);
    EXPECT_EQ(body, (FormFields{{"client_id", "id"}, {"client_secret", "s3cret"}}));
    EXPECT_TRUE(headers.empty());
    body.clear();
    authenticate_client({"id", "", "none", ""}, body, headers);
    EXPECT_EQ(body, (FormFields{{"client_id", "id"}}));
}

TEST(OAuthTokenStore, GrantRoundTripsThroughJson) {
    StoredGrant g;
    g.tokens = {"at", "rt", "a b", 1234};
    g.client = {"cid", "csecret", "client_secret_post", "dynamic registration"};
    g.token_endpoint = "https://as/token";
    g.resource = "https://rs/mcp";
    const auto back = StoredGrant::from_json(g.to_json());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->tokens.refresh_token, "rt");
    EXPECT_EQ(back->tokens.expires_at, 1234);
    EXPECT_EQ(back->client.auth_method, "client_secret_post");
    EXPECT_EQ(back->resource, "https://rs/mcp");
    EXPECT_FALSE(StoredGrant::from_json(Json::object()));
    EXPECT_EQ(SecretsTokenStore::key_for("tracker"), "mcp.tracker.oauth.grant");
}

TEST(OAuthConfig, ParsesTheOAuthAuthTable) {
    const ServerConfig c = parse_server_config(
        "tracker", {{"url", "https://mcp.example.com/mcp"},
                    {"auth", {{"type", "oauth"}, {"client_id", "abc"}, {"client_secret", "mcp.tracker.client"}, {"scopes", {"a", "b"}}}}});
    EXPECT_TRUE(c.auth.oauth.enabled);
    EXPECT_EQ(c.auth.oauth.client_id, "abc");
    EXPECT_EQ(c.auth.oauth.scopes, (Strings{"a", "b"}));
    EXPECT_TRUE(c.auth.secret.empty());
    const Json back = c.to_json();
    EXPECT_EQ(back["auth"]["type"], "oauth");
    EXPECT_EQ(back["auth"]["client_secret"], "mcp.tracker.client");  // the name, never a value
    EXPECT_TRUE(parse_server_config("tracker", back).auth.oauth.enabled);

    auto error = [](const Json& auth) {
        try {
            parse_server_config("t", {{"url", "https://x/mcp"}, {"auth", auth}});
        } catch (const sdk::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error({{"type", "magic"}}).find("auth.type"), std::string::npos);
    EXPECT_NE(error({{"type", "oauth"}, {"grant", "password"}}).find("auth.grant"), std::string::npos);
    EXPECT_NE(error({{"type", "oauth"}, {"grant", "client_credentials"}}).find("client_id"), std::string::npos);
    // private_key_jwt: a key instead of a secret, for a pre-registered client only.
    const ServerConfig signing = parse_server_config(
        "t", {{"url", "https://x/mcp"},
              {"auth", {{"type", "oauth"}, {"grant", "client_credentials"}, {"client_id", "c"}, {"client_private_key", "mcp.t.key"}}}});
    EXPECT_EQ(signing.auth.oauth.client_private_key, "mcp.t.key");
    EXPECT_EQ(signing.to_json()["auth"]["client_private_key"], "mcp.t.key");
    EXPECT_NE(error({{"type", "oauth"}, {"client_private_key", "mcp.t.key"}}).find("client_id"), std::string::npos);
    EXPECT_NE(error({{"type", "oauth"}, {"client_metadata_url", "http://x/m.json"}}).find("https"), std::string::npos);
    EXPECT_NE(error({{"type", "oauth"}, {"grant", "cross_app_access"}, {"client_id", "c"}, {"client_secret", "mcp.t.s"}})
                  .find("idp_token_endpoint"),
              std::string::npos);
    const ServerConfig xaa = parse_server_config(
        "t", {{"url", "https://x/mcp"},
              {"auth", {{"type", "oauth"}, {"grant", "cross_app_access"}, {"client_id", "c"}, {"client_secret", "mcp.t.s"},
                        {"idp_token_endpoint", "https://idp/token"}, {"idp_id_token", "mcp.t.id-token"}}}});
    EXPECT_EQ(xaa.auth.oauth.grant, "cross_app_access");
    EXPECT_EQ(xaa.to_json()["auth"]["idp_id_token"], "mcp.t.id-token");
}

// A raw HTTP GET to the listener, as the browser's redirect would arrive.
std::string get(int port, const std::string& target) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return "";
    }
    const std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    std::string reply;
    char buf[1024];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) reply.append(buf, static_cast<size_t>(n));
    ::close(fd);
    return reply;
}

TEST(OAuthLoopbackListener, TakesTheCallbackAndIgnoresOtherPaths) {
    LoopbackListener listener;
    ASSERT_GT(listener.port(), 0);
    EXPECT_EQ(listener.redirect_uri(), "http://127.0.0.1:" + std::to_string(listener.port()) + "/callback");
    std::string favicon, callback;
    std::thread browser([&] {
        favicon = get(listener.port(), "/favicon.ico");
        callback = get(listener.port(), "/callback?code=abc%2B1&state=xyz");
    });
    const auto params = listener.wait(std::chrono::steady_clock::now() + std::chrono::seconds(10));
    browser.join();
    EXPECT_EQ(favicon.rfind("HTTP/1.1 404", 0), 0u) << favicon;
    EXPECT_EQ(callback.rfind("HTTP/1.1 200", 0), 0u) << callback;
    EXPECT_EQ(params.at("code"), "abc+1");
    EXPECT_EQ(params.at("state"), "xyz");
}

TEST(OAuthLoopbackListener, GivesUpAtTheDeadline) {
    LoopbackListener listener;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(listener.wait(start + std::chrono::milliseconds(300)), sdk::Error);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

}  // namespace
}  // namespace cowork::mcp::oauth
