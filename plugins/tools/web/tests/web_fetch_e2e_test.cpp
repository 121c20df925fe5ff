// web_fetch end to end: the module through its C entry, the kernel's real
// cowork.http/1 with ssrfGuard, and scripted servers on 127.0.0.1 (which the
// tests must allow explicitly through allow_private_hosts).
#include "web_harness.hpp"

#include "support/scripted_http_server.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <unistd.h>

using namespace cowork::web::testing;
using cowork::testing::RecordedRequest;
using cowork::testing::ScriptedResponse;
using cowork::testing::ScriptedServer;
using cowork::testing::TlsIdentity;

namespace {

ScriptedResponse reply(std::string body, std::string type, int status = 200) {
    ScriptedResponse r;
    r.status = status;
    r.headers = {{"Content-Type", std::move(type)}};
    r.chunks = {std::move(body)};
    return r;
}

ScriptedResponse redirect_to(const std::string& location, int status = 302) {
    ScriptedResponse r;
    r.status = status;
    r.headers = {{"Location", location}};
    return r;
}

Json local_ok() { return Json{{"allow_private_hosts", {"127.0.0.1"}}}; }

}  // namespace

TEST(WebFetch, ListsBothToolsAsNetworkReadOnly) {
    WebHarness h;
    const Json tools = h.plugin->list()["tools"];
    ASSERT_EQ(tools.size(), 2u);
    EXPECT_EQ(tools[0]["name"], "web_fetch");
    EXPECT_EQ(tools[0]["annotations"]["approval"], "network");
    EXPECT_EQ(tools[1]["name"], "web_search");
}

TEST(WebFetch, LoopbackIsRefusedByDefault) {
    ScriptedServer server;
    WebHarness h;
    const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/"}});
    ASSERT_TRUE(is_error(r)) << r.dump();
    EXPECT_TRUE(has(text_of(r), "127.0.0.1 resolves to 127.0.0.1, a loopback address")) << text_of(r);
    EXPECT_EQ(r["data"]["code"], "denied");
    EXPECT_EQ(server.connections(), 0u);
}

TEST(WebFetch, LocalhostNameIsRefusedAfterResolution) {
    ScriptedServer server;
    WebHarness h(local_ok());  // 127.0.0.1 is allowed, the name localhost is not
    const Json r = h.plugin->call("web_fetch", {{"url", "http://localhost:" + std::to_string(server.port()) + "/"}});
    ASSERT_TRUE(is_error(r)) << r.dump();
    EXPECT_TRUE(has(text_of(r), "localhost resolves to")) << text_of(r);
    EXPECT_EQ(server.connections(), 0u);
}

TEST(WebFetch, MetadataIsRefusedEvenWhenListed) {
    WebHarness h(Json{{"allow_private_hosts", {"169.254.169.254"}}});
    const Json r = h.plugin->call("web_fetch", {{"url", "http://169.254.169.254/latest/meta-data/"}, {"timeoutMs", 3000}});
    ASSERT_TRUE(is_error(r)) << r.dump();
    EXPECT_TRUE(has(text_of(r), "cloud metadata")) << text_of(r);
}

TEST(WebFetch, NonHttpSchemesAreRefused) {
    WebHarness h;
    const Json r = h.plugin->call("web_fetch", {{"url", "file:///etc/passwd"}});
    ASSERT_TRUE(is_error(r));
    EXPECT_TRUE(has(text_of(r), "not an absolute http(s) URL") || has(text_of(r), "only http and https")) << text_of(r);
    const Json bad = h.plugin->call("web_fetch", {{"url", "http://x/"}, {"format", "pdf"}});
    EXPECT_EQ(bad.value("abiError", 0), COWORK_E_INVALID) << bad.dump();
}

TEST(WebFetch, HtmlBecomesMarkdownWithAbsoluteLinks) {
    ScriptedServer server;
    server.route("GET", "/docs/page", [](const RecordedRequest&) {
        return reply("<html><head><title>Doc &amp; Co</title><script>alert('pwned')</script></head><body>"
                     "<nav>menu</nav><h2>Part&nbsp;1</h2><p>Read <a href=\"next.html\">the next page</a> &mdash; "
                     "&#169; 2024</p></body></html>",
                     "text/html; charset=utf-8");
    });
    WebHarness h(local_ok());
    const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/docs/page"}});
    ASSERT_FALSE(is_error(r)) << r.dump();
    const std::string text = text_of(r);
    EXPECT_EQ(text.rfind("# Doc & Co\n\n## Part 1", 0), 0u) << text;
    EXPECT_TRUE(has(text, "[the next page](" + server.base_url() + "/docs/next.html) — © 2024")) << text;
    EXPECT_FALSE(has(text, "pwned"));
    EXPECT_FALSE(has(text, "menu"));
    EXPECT_EQ(r["data"]["status"], 200);
    EXPECT_EQ(r["data"]["contentType"], "text/html; charset=utf-8");
    EXPECT_EQ(r["data"]["title"], "Doc & Co");
    const auto sent = server.requests();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_TRUE(has(sent[0].headers.at("accept"), "text/html"));
}

TEST(WebFetch, JsonIsPrettyPrintedAndRawIsUntouched) {
    ScriptedServer server;
    server.route("GET", "/api", [](const RecordedRequest&) { return reply(R"({"b":[1,{"c":null}]})", "application/json"); });
    WebHarness h(local_ok());
    const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/api"}});
    ASSERT_FALSE(is_error(r)) << r.dump();
    EXPECT_EQ(text_of(r), "{\n  \"b\": [\n    1,\n    {\n      \"c\": null\n    }\n  ]\n}");
    const Json raw = h.plugin->call("web_fetch", {{"url", server.base_url() + "/api"}, {"format", "raw"}});
    EXPECT_EQ(text_of(raw), R"({"b":[1,{"c":null}]})");
}

TEST(WebFetch, Latin1IsConverted) {
    ScriptedServer server;
    server.enqueue(reply("caf\xE9 cr\xE8me", "text/plain; charset=ISO-8859-1"));
    WebHarness h(local_ok());
    const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/t"}});
    ASSERT_FALSE(is_error(r)) << r.dump();
    EXPECT_EQ(text_of(r), "café crème");
}

TEST(WebFetch, BinaryIsRefusedWithTypeAndSize) {
    ScriptedServer server;
    server.enqueue(reply(std::string(300000, '%'), "application/pdf"));
    WebHarness h(local_ok());
    const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/paper.pdf"}});
    ASSERT_TRUE(is_error(r)) << r.dump();
    const std::string text = text_of(r);
    EXPECT_TRUE(has(text, "application/pdf")) << text;
    EXPECT_TRUE(has(text, "300000 bytes")) << text;
    EXPECT_TRUE(has(text, "not downloaded")) << text;
    EXPECT_FALSE(has(text, "%%%%"));
}

TEST(WebFetch, OversizeBodyIsTooLarge) {
    ScriptedServer server;
    server.enqueue(reply(std::string(5000, 'a'), "text/plain"));
    WebHarness h(local_ok());
    const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/big"}, {"maxBytes", 1000}});
    ASSERT_TRUE(is_error(r)) << r.dump();
    EXPECT_EQ(r["data"]["code"], "too_large");
    EXPECT_TRUE(has(text_of(r), "larger than maxBytes=1000")) << text_of(r);
}

TEST(WebFetch, SlowTrickleEndsInATimeout) {
    ScriptedServer server;
    ScriptedResponse slow = reply("", "text/plain");
    slow.chunks = std::vector<std::string>(30, "x");
    slow.chunked = true;
    slow.delay_between = std::chrono::milliseconds(200);  // 6 s in all, 1 s allowed
    server.enqueue(slow);
    WebHarness h(local_ok());
    const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/slow"}, {"timeoutMs", 1000}});
    ASSERT_TRUE(is_error(r)) << r.dump();
    EXPECT_EQ(r["data"]["code"], "timeout");
}

TEST(WebFetch, RedirectsAreFollowedUpToTheCap) {
    ScriptedServer server;
    server.route("GET", "/a", [](const RecordedRequest&) { return redirect_to("/b", 301); });
    server.route("GET", "/b", [](const RecordedRequest&) { return redirect_to("c"); });
    server.route("GET", "/c", [](const RecordedRequest&) { return reply("arrived", "text/plain"); });
    WebHarness h(local_ok());
    const Json ok = h.plugin->call("web_fetch", {{"url", server.base_url() + "/a"}});
    ASSERT_FALSE(is_error(ok)) << ok.dump();
    EXPECT_EQ(text_of(ok), "arrived");
    EXPECT_EQ(ok["data"]["finalUrl"], server.base_url() + "/c");
    EXPECT_EQ(ok["data"]["redirects"].size(), 2u);

    const Json capped = h.plugin->call("web_fetch", {{"url", server.base_url() + "/a"}, {"maxRedirects", 1}});
    ASSERT_TRUE(is_error(capped)) << capped.dump();
    EXPECT_TRUE(has(text_of(capped), "maxRedirects=1")) << text_of(capped);
}

TEST(WebFetch, RedirectToAnotherPrivateAddressIsRefusedOnTheHop) {
    ScriptedServer server;
    const std::string inner = "http://127.0.0.2:" + std::to_string(server.port()) + "/admin";
    server.route("GET", "/go", [inner](const RecordedRequest&) { return redirect_to(inner); });
    WebHarness h(local_ok());
    const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/go"}});
    ASSERT_TRUE(is_error(r)) << r.dump();
    EXPECT_TRUE(has(text_of(r), "127.0.0.2 resolves to 127.0.0.2")) << text_of(r);
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST(WebFetch, DomainListsApplyToTheUrlAndEveryRedirect) {
    ScriptedServer server;
    server.route("GET", "/out", [](const RecordedRequest&) { return redirect_to("http://elsewhere.example/"); });
    {
        WebHarness h(Json{{"allow_private_hosts", {"127.0.0.1"}}, {"allowed_domains", {"example.org"}}});
        const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/out"}});
        ASSERT_TRUE(is_error(r));
        EXPECT_TRUE(has(text_of(r), "not in allowed_domains")) << text_of(r);
        EXPECT_EQ(server.connections(), 0u);
    }
    {
        WebHarness h(Json{{"allow_private_hosts", {"127.0.0.1"}}, {"blocked_domains", {"example"}}});
        const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/out"}});
        ASSERT_TRUE(is_error(r));
        EXPECT_TRUE(has(text_of(r), "redirect refused: host 'elsewhere.example' is in blocked_domains")) << text_of(r);
        EXPECT_EQ(server.requests().size(), 1u);
    }
}

TEST(WebFetch, HttpErrorStatusIsAnErrorShowingThePage) {
    ScriptedServer server;
    server.enqueue(reply("<h1>Not here</h1>", "text/html", 404));
    WebHarness h(local_ok());
    const Json r = h.plugin->call("web_fetch", {{"url", server.base_url() + "/missing"}});
    ASSERT_TRUE(is_error(r));
    EXPECT_TRUE(has(text_of(r), "HTTP 404")) << text_of(r);
    EXPECT_TRUE(has(text_of(r), "Not here")) << text_of(r);
}

// The kernel's client trusts the system store via
// SSL_CTX_set_default_verify_paths, so SSL_CERT_FILE hands it the test CA
// (read when the service's TLS context is first built: set before the fetch).
TEST(WebFetch, HttpsTrustsTheGivenCaAndRefusesAnUntrustedOne) {
    const TlsIdentity trusted = TlsIdentity::self_signed();
    const TlsIdentity stranger = TlsIdentity::self_signed();
    char path[] = "/tmp/cowork-web-ca-XXXXXX";
    const int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    std::ofstream(path) << trusted.ca_pem;
    const char* previous = std::getenv("SSL_CERT_FILE");
    const std::string saved = previous ? previous : "";
    ::setenv("SSL_CERT_FILE", path, 1);

    ScriptedServer good(trusted);
    good.enqueue(reply("secure hello", "text/plain"));
    ScriptedServer bad(stranger);
    WebHarness h(local_ok());
    const Json ok = h.plugin->call("web_fetch", {{"url", good.base_url() + "/"}});
    const Json refused = h.plugin->call("web_fetch", {{"url", bad.base_url() + "/"}});

    if (previous) ::setenv("SSL_CERT_FILE", saved.c_str(), 1);
    else ::unsetenv("SSL_CERT_FILE");
    std::remove(path);

    ASSERT_FALSE(is_error(ok)) << ok.dump();
    EXPECT_EQ(text_of(ok), "secure hello");
    ASSERT_TRUE(is_error(refused)) << refused.dump();
    EXPECT_EQ(refused["data"]["code"], "tls") << refused.dump();
}
