// html_dom.hpp — a small, forgiving HTML parser: tags, attributes, text,
// comments, raw-text elements (script/style), void elements and the common
// implied end tags (p, li, td/th, tr, option, dt/dd). Not a spec-complete
// HTML5 tree builder: it only needs to be robust enough that real pages
// turn into readable text, and never loop or recurse without bound.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cowork::web {

struct HtmlNode {
    std::string tag;   // lower-case; empty for a text node
    std::string text;  // text nodes: entities already decoded
    std::vector<std::pair<std::string, std::string>> attrs;  // lower-case names, decoded values
    std::vector<std::unique_ptr<HtmlNode>> children;

    bool is_text() const { return tag.empty(); }
    std::string attr(std::string_view name) const;
    bool has_class(std::string_view cls) const;
};

// The document as a tree under an artificial root (tag "#root"). Nesting is
// capped (kMaxDepth): deeper elements are attached to the deepest allowed
// parent, so recursion over the tree stays bounded.
std::unique_ptr<HtmlNode> parse_html(std::string_view html);

inline constexpr size_t kMaxDepth = 200;

// All text below `node`, entities decoded, whitespace as in the source.
std::string inner_text(const HtmlNode& node);

}  // namespace cowork::web
