// The pure pieces of tool.web: URLs, domain lists, charsets, content kinds,
// the result cap, and each search provider's request and answer shapes.
#include "charset.hpp"
#include "content.hpp"
#include "domain_policy.hpp"
#include "search_provider.hpp"
#include "search_router.hpp"
#include "web_url.hpp"

#include <gtest/gtest.h>

using namespace cowork::web;
using Json = nlohmann::json;

TEST(WebUrl, ResolvesReferences) {
    const std::string base = "https://a.com/x/y/page?q=1#f";
    EXPECT_EQ(resolve_url(base, "z"), "https://a.com/x/y/z");
    EXPECT_EQ(resolve_url(base, "../z?k"), "https://a.com/x/z?k");
    EXPECT_EQ(resolve_url(base, "/root"), "https://a.com/root");
    EXPECT_EQ(resolve_url(base, "//b.org/p"), "https://b.org/p");
    EXPECT_EQ(resolve_url(base, "?new"), "https://a.com/x/y/page?new");
    EXPECT_EQ(resolve_url(base, "#frag"), "https://a.com/x/y/page?q=1#frag");
    EXPECT_EQ(resolve_url(base, "http://c.net/"), "http://c.net/");
    EXPECT_EQ(resolve_url(base, "mailto:me@x"), "mailto:me@x");
    EXPECT_EQ(resolve_url("http://h:8080", "a/../../b/./"), "http://h:8080/b/");
}

TEST(WebUrl, ParsesHostsStrictly) {
    const auto u = parse_web_url("HTTPS://user:pw@Example.COM.:8443/p?q");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->scheme, "https");
    EXPECT_EQ(u->host, "example.com");
    EXPECT_EQ(u->port, "8443");
    EXPECT_EQ(u->path, "/p?q");
    EXPECT_FALSE(parse_web_url("example.com/x"));
    EXPECT_FALSE(parse_web_url("http://:80/"));
    EXPECT_FALSE(parse_web_url("http://h:80x/"));
    EXPECT_EQ(parse_web_url("http://[::1]:9/")->host, "::1");
    EXPECT_EQ(percent_encode("a b&c=ü"), "a%20b%26c%3D%C3%BC");
    EXPECT_EQ(percent_decode("https%3A%2F%2Fx.org%2Fa%3Fb%3D1+2"), "https://x.org/a?b=1 2");
}

TEST(DomainPolicy, AllowAndBlockWithSubdomains) {
    const DomainPolicy p({"example.com", "*.docs.org"}, {"bad.example.com"});
    EXPECT_FALSE(p.check_url("https://example.com/"));
    EXPECT_FALSE(p.check_url("https://www.example.com/"));
    EXPECT_FALSE(p.check_url("https://api.docs.org/"));
    EXPECT_TRUE(p.check_url("https://badexample.com/"));  // not a subdomain
    EXPECT_TRUE(p.check_url("https://x.bad.example.com/"));
    EXPECT_TRUE(p.check_url("https://other.net/"));
    EXPECT_TRUE(p.check_url("ftp://example.com/"));
    EXPECT_TRUE(p.check_url("file:///etc/passwd"));
    const DomainPolicy open({}, {"tracker.io"});
    EXPECT_FALSE(open.check_url("http://any.where/"));
    ASSERT_TRUE(open.check_url("http://cdn.tracker.io/"));
    EXPECT_NE(open.check_url("http://cdn.tracker.io/")->find("blocked_domains"), std::string::npos);
}

TEST(Charset, Latin1AndInvalidUtf8) {
    EXPECT_EQ(to_utf8("caf\xE9 \x80", "iso-8859-1").text, "café €");
    EXPECT_EQ(to_utf8("ok \xC3\xA9 bad \xFF", "utf-8").text, "ok é bad \xEF\xBF\xBD");
    EXPECT_FALSE(to_utf8("x", "shift_jis").note.empty());
    EXPECT_EQ(charset_param("text/html; Charset=\"ISO-8859-1\""), "iso-8859-1");
    EXPECT_EQ(html_meta_charset("<head><meta charset=windows-1252></head>"), "windows-1252");
    EXPECT_EQ(html_meta_charset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=latin1\">"), "latin1");
    EXPECT_EQ(base64_decode("aGVsbG8="), "hello");
}

TEST(Content, KindsByTypeAndSniffing) {
    EXPECT_EQ(classify_content("text/html; charset=utf-8", ""), ContentKind::html);
    EXPECT_EQ(classify_content("application/problem+json", ""), ContentKind::json);
    EXPECT_EQ(classify_content("application/rss+xml", ""), ContentKind::text);
    EXPECT_EQ(classify_content("text/markdown", ""), ContentKind::text);
    EXPECT_EQ(classify_content("application/pdf", ""), ContentKind::binary);
    EXPECT_EQ(classify_content("image/png", ""), ContentKind::binary);
    EXPECT_EQ(classify_content("application/octet-stream", "text"), ContentKind::binary);
    EXPECT_EQ(classify_content("", "  <!DOCTYPE html><p>x"), ContentKind::html);
    EXPECT_EQ(classify_content("", std::string("PK\3\4\0\0", 6)), ContentKind::binary);
    const auto r = render_body(R"({"a":[1,2]})", ContentKind::json, "application/json", "https://x/", FetchFormat::markdown);
    EXPECT_EQ(r.text, "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
}

TEST(Content, CapKeepsHeadAndTail) {
    std::string text = std::string(1000, 'h') + std::string(1000, 't');
    EXPECT_TRUE(cap_head_tail(text, 400));
    EXPECT_EQ(text.substr(0, 300), std::string(300, 'h'));
    EXPECT_EQ(text.substr(text.size() - 100), std::string(100, 't'));
    EXPECT_NE(text.find("bytes omitted"), std::string::npos);
    std::string small = "abc";
    EXPECT_FALSE(cap_head_tail(small, 400));
}

TEST(SearchProviders, RequestsAsDocumented) {
    const Json brave = make_brave("https://api.search.brave.com/", "KEY")->build_request("c++ ranges", 50);
    EXPECT_EQ(brave["method"], "GET");
    EXPECT_EQ(brave["url"], "https://api.search.brave.com/res/v1/web/search?q=c%2B%2B%20ranges&count=20");
    EXPECT_EQ(brave["headers"]["X-Subscription-Token"], "KEY");
    const Json tavily = make_tavily("https://api.tavily.com", "TK")->build_request("q", 3);
    EXPECT_EQ(tavily["method"], "POST");
    EXPECT_EQ(tavily["url"], "https://api.tavily.com/search");
    EXPECT_EQ(tavily["headers"]["Authorization"], "Bearer TK");
    EXPECT_EQ(Json::parse(tavily["body"].get<std::string>()), (Json{{"query", "q"}, {"max_results", 3}, {"search_depth", "basic"}}));
    EXPECT_EQ(make_searxng("http://s:8888")->build_request("a b", 5)["url"], "http://s:8888/search?q=a%20b&format=json");
    EXPECT_EQ(make_duckduckgo("https://html.duckduckgo.com")->build_request("a b", 5)["url"], "https://html.duckduckgo.com/html/?q=a%20b");
    EXPECT_TRUE(make_brave("x", "")->unavailable());
    EXPECT_TRUE(make_searxng("")->unavailable());
}

TEST(SearchProviders, DuckDuckGoHtmlWithUddgLinksAndAdsSkipped) {
    const std::string html = R"(<div class="results">
      <div class="result results_links result--ad"><h2 class="result__title">
        <a rel="nofollow" class="result__a" href="https://duckduckgo.com/y.js?ad_domain=x">Ad</a></h2>
        <a class="result__snippet" href="#">Buy now</a></div>
      <div class="result results_links results_links_deep web-result"><div class="links_main">
        <h2 class="result__title"><a rel="nofollow" class="result__a"
          href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fen.cppreference.com%2Fw%2Fcpp%2Franges&amp;rut=abc">Ranges library &amp; views</a></h2>
        <a class="result__snippet" href="//duckduckgo.com/l/?uddg=x">The <b>ranges</b> library is an extension.</a></div></div>
      <div class="result web-result"><h2 class="result__title"><a class="result__a" href="https://direct.example/">Direct</a></h2>
        <div class="result__snippet">Plain snippet</div></div></div>)";
    const auto hits = make_duckduckgo("")->parse(html);
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].url, "https://en.cppreference.com/w/cpp/ranges");
    EXPECT_EQ(hits[0].title, "Ranges library & views");
    EXPECT_EQ(hits[0].snippet, "The ranges library is an extension.");
    EXPECT_EQ(hits[1].url, "https://direct.example/");
    EXPECT_EQ(hits[1].snippet, "Plain snippet");
}

TEST(SearchProviders, BraveStripsHighlightsAndPrefersPageAge) {
    const auto hits = make_brave("", "k")->parse(R"({"type":"search","web":{"type":"search","results":[
      {"title":"Rust &amp; C++","url":"https://r.example/","description":"About <strong>Rust</strong>.","age":"2 days ago","page_age":"2024-05-01T10:00:00"},
      {"title":"Two","url":"https://two.example/","description":"d"}]}})");
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].title, "Rust & C++");
    EXPECT_EQ(hits[0].snippet, "About Rust.");
    EXPECT_EQ(hits[0].date, "2024-05-01T10:00:00");
    EXPECT_EQ(hits[1].date, "");
    EXPECT_THROW(make_tavily("", "k")->parse("<html>"), std::exception);
}

TEST(SearchRouter, DedupeKey) {
    EXPECT_EQ(normalize_for_dedupe("https://www.a.com/x/#y"), normalize_for_dedupe("http://a.com/x"));
    EXPECT_NE(normalize_for_dedupe("https://a.com/x"), normalize_for_dedupe("https://a.com/y"));
}
