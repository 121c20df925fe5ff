// HTML → Markdown/text (html_markdown), on the kinds of markup real pages have.
#include "html_markdown.hpp"

#include <gtest/gtest.h>

using namespace cowork::web;

namespace {
std::string md(const std::string& html, const std::string& base = "https://example.com/docs/page.html") {
    return html_to_text(html, base, PageFormat::markdown).body;
}
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST(HtmlMarkdown, TitleFirstThenHeadingsAndParagraphs) {
    const std::string out = md("<html><head><title>My  Page</title><style>p{}</style></head><body>"
                               "<h1>Intro</h1><p>First   para\n graph.</p><p>Second</p></body></html>");
    EXPECT_EQ(out, "# My Page\n\n# Intro\n\nFirst para graph.\n\nSecond");
}

TEST(HtmlMarkdown, DropsScriptStyleNavFooterSvgNoscript) {
    const std::string out = md("<body><nav><a href='/x'>Menu</a></nav><script>var secret=1;</script>"
                               "<noscript>enable js</noscript><svg><text>logo</text></svg><p>Body</p>"
                               "<footer>(c) corp</footer></body>");
    EXPECT_EQ(out, "Body");
}

TEST(HtmlMarkdown, LinksBecomeAbsoluteAndImagesKeepAlt) {
    const std::string out = md("<p>See <a href=\"../guide/intro.html#top\">the guide</a>, "
                               "<a href=\"//cdn.example.org/x\">cdn</a>, <a href=\"/root\">root</a> and "
                               "<a href=\"javascript:void(0)\">nothing</a>. <img src=\"pic.png\" alt=\"A cat\"></p>");
    EXPECT_TRUE(has(out, "[the guide](https://example.com/guide/intro.html#top)")) << out;
    EXPECT_TRUE(has(out, "[cdn](https://cdn.example.org/x)")) << out;
    EXPECT_TRUE(has(out, "[root](https://example.com/root)")) << out;
    EXPECT_TRUE(has(out, " nothing.")) << out;
    EXPECT_TRUE(has(out, "![A cat](https://example.com/docs/pic.png)")) << out;
}

TEST(HtmlMarkdown, BaseHrefWins) {
    const std::string out = md("<head><base href=\"https://other.org/a/\"></head><a href=\"b\">b</a>");
    EXPECT_TRUE(has(out, "[b](https://other.org/a/b)")) << out;
}

TEST(HtmlMarkdown, EntitiesDecoded) {
    const std::string out = md("<p>Fish &amp; chips &lt;3 &#8364;5 &#x1F600; caf&eacute; &bogus; a&nbsp;b</p>");
    EXPECT_EQ(out, "Fish & chips <3 €5 \xF0\x9F\x98\x80 café &bogus; a b");
}

TEST(HtmlMarkdown, ListsNestedAndOrdered) {
    const std::string out = md("<ul><li>one<li>two<ul><li>inner</li></ul></li></ul><ol><li>a</li><li>b</li></ol>");
    EXPECT_TRUE(has(out, "- one\n- two\n  - inner")) << out;
    EXPECT_TRUE(has(out, "1. a\n2. b")) << out;
}

TEST(HtmlMarkdown, PreKeepsWhitespaceInAFence) {
    const std::string out = md("<pre><code class=\"language-cpp\">int main() {\n    return 0;\n}</code></pre><p>x <code>y</code></p>");
    EXPECT_TRUE(has(out, "```cpp\nint main() {\n    return 0;\n}\n```")) << out;
    EXPECT_TRUE(has(out, "x `y`")) << out;
}

TEST(HtmlMarkdown, TablesAsRows) {
    const std::string out = md("<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>3|4</td></tr></table>");
    EXPECT_TRUE(has(out, "| Name | Age |\n| --- | --- |\n| Ann | 3\\|4 |")) << out;
}

TEST(HtmlMarkdown, TextFormatHasNoMarkup) {
    const auto page = html_to_text("<title>T</title><h2>H</h2><p><b>bold</b> <a href='/x'>link</a></p>",
                                   "https://e.com/", PageFormat::text);
    EXPECT_EQ(page.title, "T");
    EXPECT_EQ(page.body, "T\n\nH\n\nbold link");
}

TEST(HtmlMarkdown, SurvivesBrokenAndDeepMarkup) {
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep += "<div>";
    deep += "deep text";
    const std::string out = md("<p>unclosed <b>bold <i>both</p><p>next</p></div></span><" + deep + "<!-- unterminated");
    EXPECT_TRUE(has(out, "deep text")) << out.substr(0, 200);
    EXPECT_TRUE(has(out, "next")) << out;
}
