// html_markdown.hpp — a page as readable Markdown (or plain text) for a
// model: the title first, then headings, paragraphs, links as
// [text](absolute url), lists, code blocks, tables as simple rows.
// Chrome and noise are dropped: script, style, noscript, nav, footer, svg,
// template, iframe, form controls and the <head> (its <title> aside).
#pragma once

#include <string>
#include <string_view>

namespace cowork::web {

enum class PageFormat { markdown, text };

struct PageText {
    std::string title;
    std::string body;  // starts with the title ("# Title" in Markdown)
};

// `base_url` makes links and images absolute (a <base href> in the page wins).
PageText html_to_text(std::string_view html, const std::string& base_url, PageFormat format);

}  // namespace cowork::web
