#include "html_dom.hpp"

#include "html_entities.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace cowork::web {
namespace {

const std::set<std::string_view> kVoid{"area", "base", "br",   "col",   "embed",  "hr",    "img",
                                       "input", "link", "meta", "param", "source", "track", "wbr"};
const std::set<std::string_view> kRawText{"script", "style", "textarea", "title", "xmp", "noscript", "iframe", "noembed", "noframes"};
// A start tag of one of these closes an open <p> (HTML's "closes a p element").
const std::set<std::string_view> kClosesP{"address", "article", "aside", "blockquote", "div", "dl", "fieldset",
                                          "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
                                          "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul"};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool name_char(char c) { return !space(c) && c != '/' && c != '>' && c != '\0'; }

class Builder {
public:
    explicit Builder(std::string_view html) : s_(html) {
        root_ = std::make_unique<HtmlNode>();
        root_->tag = "#root";
        stack_.push_back(root_.get());
    }

    std::unique_ptr<HtmlNode> run() {
        while (i_ < s_.size()) {
            if (s_[i_] == '<' && lex_markup()) continue;
            const size_t next = s_.find('<', i_ + 1);
            add_text(s_.substr(i_, next == std::string_view::npos ? std::string_view::npos : next - i_));
            i_ = next == std::string_view::npos ? s_.size() : next;
        }
        return std::move(root_);
    }

private:
    // At '<': a tag, comment, doctype or processing instruction. False
    // when it is just a '<' in text.
    bool lex_markup() {
        const std::string_view rest = s_.substr(i_);
        if (rest.rfind("<!--", 0) == 0) return skip_to("-->", 4);
        if (rest.rfind("<![CDATA[", 0) == 0) {
            const size_t end = s_.find("]]>", i_ + 9);
            add_text(s_.substr(i_ + 9, end == std::string_view::npos ? std::string_view::npos : end - i_ - 9), false);
            i_ = end == std::string_view::npos ? s_.size() : end + 3;
            return true;
        }
        if (rest.rfind("<!", 0) == 0 || rest.rfind("<?", 0) == 0) return skip_to(">", 2);
        if (rest.size() > 1 && rest[1] == '/') return end_tag();
        if (rest.size() > 1 && std::isalpha(static_cast<unsigned char>(rest[1]))) return start_tag();
        return false;
    }

    bool skip_to(std::string_view end, size_t from) {
        const size_t at = s_.find(end, i_ + from);
        i_ = at == std::string_view::npos ? s_.size() : at + end.size();
        return true;
    }

    std::string read_name() {
        const size_t start = i_;
        while (i_ < s_.size() && name_char(s_[i_]) && s_[i_] != '=') ++i_;
        return lower(s_.substr(start, i_ - start));
    }

    void skip_space() {
        while (i_ < s_.size() && space(s_[i_])) ++i_;
    }

    bool start_tag() {
        ++i_;
        auto node = std::make_unique<HtmlNode>();
        node->tag = read_name();
        bool self_closing = false;
        for (;;) {
            skip_space();
            if (i_ >= s_.size()) break;
            if (s_[i_] == '>') { ++i_; break; }
            if (s_[i_] == '/') { self_closing = true; ++i_; continue; }
            std::string name = read_name();
            if (name.empty()) { ++i_; continue; }  // stray character such as '=' or '"'
            skip_space();
            std::string value;
            if (i_ < s_.size() && s_[i_] == '=') {
                ++i_;
                skip_space();
                value = read_value();
            }
            node->attrs.emplace_back(std::move(name), decode_entities(value));
        }
        const std::string tag = node->tag;
        open(std::move(node), self_closing);
        if (kRawText.count(tag) && !self_closing) raw_text(tag);
        return true;
    }

    std::string read_value() {
        if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'')) {
            const char quote = s_[i_++];
            const size_t end = s_.find(quote, i_);
            std::string v(s_.substr(i_, end == std::string_view::npos ? std::string_view::npos : end - i_));
            i_ = end == std::string_view::npos ? s_.size() : end + 1;
            return v;
        }
        const size_t start = i_;
        while (i_ < s_.size() && !space(s_[i_]) && s_[i_] != '>') ++i_;
        return std::string(s_.substr(start, i_ - start));
    }

    // Everything up to </tag> is text of the element (script, style, title…).
    void raw_text(const std::string& tag) {
        size_t at = i_;
        for (;;) {
            at = s_.find("</", at);
            if (at == std::string_view::npos || lower(s_.substr(at + 2, tag.size())) == tag) break;
            at += 2;
        }
        const size_t end = at == std::string_view::npos ? s_.size() : at;
        add_text(s_.substr(i_, end - i_), tag == "title" || tag == "textarea");
        i_ = end;
        if (at != std::string_view::npos) end_tag();
    }

    bool end_tag() {
        i_ += 2;
        const std::string tag = read_name();
        skip_to(">", 0);
        close(tag);
        return true;
    }

    void open(std::unique_ptr<HtmlNode> node, bool self_closing) {
        const std::string& tag = node->tag;
        if (kClosesP.count(tag)) close_if_open("p", {"div", "section", "article", "main", "td", "th", "li", "blockquote"});
        if (tag == "li") close_if_open("li", {"ul", "ol"});
        if (tag == "dt" || tag == "dd") close_any_of({"dt", "dd"}, {"dl"});
        if (tag == "td" || tag == "th") close_any_of({"td", "th"}, {"tr", "table"});
        if (tag == "tr") close_any_of({"tr"}, {"table", "tbody", "thead", "tfoot"});
        if (tag == "option") close_if_open("option", {"select"});
        HtmlNode* raw = node.get();
        stack_.back()->children.push_back(std::move(node));
        if (!self_closing && !kVoid.count(raw->tag) && stack_.size() < kMaxDepth) stack_.push_back(raw);
    }

    // Closes the innermost open `tag` unless a `barrier` is nearer.
    void close_if_open(const std::string& tag, std::initializer_list<std::string_view> barriers) {
        close_any_of({tag}, barriers);
    }
    void close_any_of(std::initializer_list<std::string_view> tags, std::initializer_list<std::string_view> barriers) {
        for (size_t k = stack_.size(); k-- > 1;) {
            const std::string& t = stack_[k]->tag;
            if (std::find(tags.begin(), tags.end(), t) != tags.end()) {
                stack_.resize(k);
                return;
            }
            if (std::find(barriers.begin(), barriers.end(), t) != barriers.end()) return;
        }
    }

    // </tag>: pops to the innermost open element of that name; a stray end
    // tag (nothing open by that name) is ignored.
    void close(const std::string& tag) {
        for (size_t k = stack_.size(); k-- > 1;) {
            if (stack_[k]->tag == tag) {
                stack_.resize(k);
                return;
            }
        }
    }

    void add_text(std::string_view text, bool decode = true) {
        if (text.empty()) return;
        auto node = std::make_unique<HtmlNode>();
        node->text = decode ? decode_entities(text) : std::string(text);
        stack_.back()->children.push_back(std::move(node));
    }

    std::string_view s_;
    size_t i_ = 0;
    std::unique_ptr<HtmlNode> root_;
    std::vector<HtmlNode*> stack_;
};

void collect_text(const HtmlNode& node, std::string& out) {
    if (node.is_text()) out += node.text;
    for (const auto& c : node.children) collect_text(*c, out);
}

}  // namespace

std::string HtmlNode::attr(std::string_view name) const {
    for (const auto& [k, v] : attrs)
        if (k == name) return v;
    return "";
}

bool HtmlNode::has_class(std::string_view cls) const {
    const std::string classes = attr("class");
    size_t i = 0;
    while (i < classes.size()) {
        while (i < classes.size() && space(classes[i])) ++i;
        size_t j = i;
        while (j < classes.size() && !space(classes[j])) ++j;
        if (std::string_view(classes).substr(i, j - i) == cls) return true;
        i = j;
    }
    return false;
}

std::unique_ptr<HtmlNode> parse_html(std::string_view html) { return Builder(html).run(); }

std::string inner_text(const HtmlNode& node) {
    std::string out;
    collect_text(node, out);
    return out;
}

}  // namespace cowork::web
