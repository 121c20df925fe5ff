// web_search end to end: each provider's request as its API documents it
// (checked on what the scripted server received), parsing of realistic
// answers, fallback order, and a clear error when every provider fails.
// Provider base URLs point at one local server; the configured host is
// allowed past the SSRF guard because the operator configured it.
#include "web_harness.hpp"

#include "support/scripted_http_server.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace cowork::web::testing;
using cowork::testing::RecordedRequest;
using cowork::testing::ScriptedResponse;
using cowork::testing::ScriptedServer;

namespace {

ScriptedResponse reply(std::string body, std::string type = "application/json", int status = 200) {
    ScriptedResponse r;
    r.status = status;
    r.headers = {{"Content-Type", std::move(type)}};
    r.chunks = {std::move(body)};
    return r;
}

class WebSearch : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* v : {"BRAVE_API_KEY", "TAVILY_API_KEY", "SEARXNG_URL"}) ::unsetenv(v);
    }
    Json config(const std::string& primary, std::vector<std::string> fallback = {}) const {
        return Json{{"primary", primary},
                    {"fallback", fallback},
                    {"searxng_url", server.base_url()},
                    {"brave_base_url", server.base_url()},
                    {"tavily_base_url", server.base_url()},
                    {"duckduckgo_base_url", server.base_url()}};
    }
    ScriptedServer server;
};

const char* kSearxng = R"({"query":"rust async","number_of_results":0,"results":[
  {"url":"https://tokio.rs/","title":"Tokio","content":"An asynchronous <b>Rust</b> runtime","engine":"duckduckgo","publishedDate":null},
  {"url":"https://www.tokio.rs/#intro","title":"Tokio again","content":"dup"},
  {"url":"https://rust-lang.github.io/async-book/","title":"Async Book","content":"Asynchronous Programming in Rust","publishedDate":"2023-01-02T00:00:00"}],
  "answers":[],"suggestions":[],"unresponsive_engines":[]})";

const char* kDdg = R"(<html><body><div id="links" class="results">
  <div class="result results_links results_links_deep web-result "><div class="links_main links_deep result__body">
  <h2 class="result__title"><a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fdocs.python.org%2F3%2Flibrary%2Fasyncio.html&amp;rut=f00">asyncio &mdash; Asynchronous I/O</a></h2>
  <a class="result__snippet" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fdocs.python.org">asyncio is a library to write <b>concurrent</b> code.</a>
  </div></div></div></body></html>)";

}  // namespace

TEST_F(WebSearch, SearxngRequestAndResultsDeduplicated) {
    server.route("GET", "/search", [](const RecordedRequest&) { return reply(kSearxng); });
    WebHarness h(config("searxng"));
    const Json r = h.plugin->call("web_search", {{"query", "rust async"}, {"count", 5}});
    ASSERT_FALSE(is_error(r)) << r.dump();
    const auto sent = server.requests();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].method, "GET");
    EXPECT_EQ(sent[0].target, "/search?q=rust%20async&format=json");
    const Json results = r["data"]["results"];
    ASSERT_EQ(results.size(), 2u) << results.dump();
    EXPECT_EQ(results[0], (Json{{"title", "Tokio"}, {"url", "https://tokio.rs/"}, {"snippet", "An asynchronous Rust runtime"}, {"source", "searxng"}}));
    EXPECT_EQ(results[1]["date"], "2023-01-02T00:00:00");
    EXPECT_EQ(r["data"]["provider"], "searxng");
}

TEST_F(WebSearch, BraveRequestCarriesTheSecretKey) {
    server.route("GET", "/res/v1/web/search", [](const RecordedRequest&) {
        return reply(R"({"type":"search","query":{"original":"zig"},"web":{"type":"search","results":[
          {"title":"Zig","url":"https://ziglang.org/","description":"<strong>Zig</strong> is a language","page_age":"2024-03-01T00:00:00","age":"March 1, 2024"}]}})");
    });
    WebHarness h(config("brave"));
    h.host.set_secret("plugin.tool.web.brave_api_key", "BSA-secret");
    const Json r = h.plugin->call("web_search", {{"query", "zig"}, {"count", 3}});
    ASSERT_FALSE(is_error(r)) << r.dump();
    const auto sent = server.requests();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].target, "/res/v1/web/search?q=zig&count=3");
    EXPECT_EQ(sent[0].headers.at("x-subscription-token"), "BSA-secret");
    EXPECT_EQ(sent[0].headers.at("accept"), "application/json");
    EXPECT_EQ(r["data"]["results"][0]["snippet"], "Zig is a language");
    EXPECT_EQ(r["data"]["results"][0]["date"], "2024-03-01T00:00:00");
}

TEST_F(WebSearch, TavilyPostsJsonWithBearerKeyFromTheEnvironment) {
    server.route("POST", "/search", [](const RecordedRequest&) {
        return reply(R"({"query":"q","answer":null,"images":[],"results":[
          {"title":"T1","url":"https://t1.example/","content":"first","score":0.9,"raw_content":null,"published_date":"Mon, 01 Apr 2024"}],
          "response_time":1.2})");
    });
    ::setenv("TAVILY_API_KEY", "tvly-env", 1);
    WebHarness h(config("tavily"));
    const Json r = h.plugin->call("web_search", {{"query", "what is tavily"}, {"count", 4}});
    ::unsetenv("TAVILY_API_KEY");
    ASSERT_FALSE(is_error(r)) << r.dump();
    const auto sent = server.requests();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].method, "POST");
    EXPECT_EQ(sent[0].headers.at("authorization"), "Bearer tvly-env");
    EXPECT_EQ(sent[0].headers.at("content-type"), "application/json");
    const Json body = Json::parse(sent[0].body);
    EXPECT_EQ(body["query"], "what is tavily");
    EXPECT_EQ(body["max_results"], 4);
    EXPECT_EQ(r["data"]["results"][0]["date"], "Mon, 01 Apr 2024");
}

TEST_F(WebSearch, PrimaryFailureFallsBackToDuckDuckGo) {
    server.route("GET", "/res/v1/web/search", [](const RecordedRequest&) { return reply(R"({"error":"boom"})", "application/json", 500); });
    server.route("GET", "/html/", [](const RecordedRequest&) { return reply(kDdg, "text/html"); });
    WebHarness h(config("brave", {"duckduckgo"}));
    h.host.set_secret("plugin.tool.web.brave_api_key", "k");
    const Json r = h.plugin->call("web_search", {{"query", "python asyncio"}});
    ASSERT_FALSE(is_error(r)) << r.dump();
    EXPECT_EQ(r["data"]["provider"], "duckduckgo");
    ASSERT_EQ(r["data"]["failures"].size(), 1u);
    EXPECT_TRUE(has(r["data"]["failures"][0].get<std::string>(), "brave: HTTP 500"));
    const Json hit = r["data"]["results"][0];
    EXPECT_EQ(hit["url"], "https://docs.python.org/3/library/asyncio.html");
    EXPECT_EQ(hit["title"], "asyncio — Asynchronous I/O");
    EXPECT_EQ(hit["snippet"], "asyncio is a library to write concurrent code.");
    const auto sent = server.requests();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1].target, "/html/?q=python%20asyncio");
}

TEST_F(WebSearch, EveryProviderFailingIsAClearError) {
    server.route("GET", "/search", [](const RecordedRequest&) { return reply("down", "text/plain", 503); });
    WebHarness h(config("tavily", {"searxng"}));  // tavily has no key at all
    const Json r = h.plugin->call("web_search", {{"query", "anything"}});
    ASSERT_TRUE(is_error(r)) << r.dump();
    const std::string text = text_of(r);
    EXPECT_TRUE(has(text, "tavily: no Tavily API key")) << text;
    EXPECT_TRUE(has(text, "searxng: HTTP 503")) << text;
}

TEST_F(WebSearch, EmptyPrimaryAnswerTriesTheNext) {
    server.route("GET", "/search", [](const RecordedRequest&) { return reply(R"({"results":[]})"); });
    server.route("GET", "/html/", [](const RecordedRequest&) { return reply(kDdg, "text/html"); });
    WebHarness h(config("searxng", {"duckduckgo"}));
    const Json r = h.plugin->call("web_search", {{"query", "x"}});
    ASSERT_FALSE(is_error(r)) << r.dump();
    EXPECT_EQ(r["data"]["provider"], "duckduckgo");
    EXPECT_EQ(r["data"]["failures"][0], "searxng: no results");
}
