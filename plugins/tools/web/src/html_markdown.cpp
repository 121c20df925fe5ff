#include "html_markdown.hpp"

#include "html_dom.hpp"
#include "web_url.hpp"

#include <set>

namespace cowork::web {
namespace {

const std::set<std::string_view> kDropped{"script", "style", "noscript", "nav", "footer", "svg", "template",
                                          "iframe", "head", "button", "select", "input", "textarea", "object",
                                          "canvas", "math", "dialog", "map"};
const std::set<std::string_view> kBlocks{"p", "div", "section", "article", "main", "header", "aside", "address",
                                         "figure", "figcaption", "details", "summary", "form", "fieldset", "center",
                                         "dl", "dt", "dd", "body", "html"};

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string collapse(std::string_view s) {
    std::string out;
    bool pending = false;
    for (char c : s) {
        if (space(c)) {
            pending = true;
            continue;
        }
        if (pending) out += ' ';  // a leading space separates from what came before
        pending = false;
        out += c;
    }
    if (pending) out += ' ';
    return out;
}

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \n");
    if (a == std::string::npos) return "";
    return s.substr(a, s.find_last_not_of(" \n") - a + 1);
}

// Writes blocks and inline text with the line prefixes of the enclosing
// blockquotes and lists, so nesting needs no post-processing.
class Renderer {
public:
    Renderer(std::string base, PageFormat format) : base_(std::move(base)), md_(format == PageFormat::markdown) {}

    void node(const HtmlNode& n, size_t depth = 0) {
        if (depth > kMaxDepth + 1) return;
        if (n.is_text()) return text(n.text);
        const std::string& t = n.tag;
        if (kDropped.count(t) || n.attr("hidden") == "hidden" || n.attr("aria-hidden") == "true") return;
        if (t == "title") return;
        if (t == "base") return;
        if (t.size() == 2 && t[0] == 'h' && t[1] >= '1' && t[1] <= '6') return heading(n, t[1] - '0', depth);
        if (t == "a") return link(n, depth);
        if (t == "img") return image(n);
        if (t == "br") return line_break();
        if (t == "hr") return rule();
        if (t == "pre") return pre(n);
        if (t == "ul" || t == "ol") return list(n, t == "ol", depth);
        if (t == "li") return item(n, "- ", depth);
        if (t == "blockquote") return quote(n, depth);
        if (t == "table") return table(n, depth);
        if (t == "code" || t == "kbd" || t == "samp") return wrap(n, md_ ? "`" : "", depth);
        if (t == "strong" || t == "b") return wrap(n, md_ ? "**" : "", depth);
        if (t == "em" || t == "i") return wrap(n, md_ ? "*" : "", depth);
        const bool block = kBlocks.count(t) > 0;
        if (block) block_break();
        children(n, depth);
        if (block) block_break();
    }

    std::string finish() {
        std::string s = out_;
        // At most one blank line anywhere; no trailing spaces on lines.
        std::string clean;
        int newlines = 0;
        for (char c : s) {
            if (c == '\n') {
                while (!clean.empty() && clean.back() == ' ') clean.pop_back();
                if (++newlines > 2) continue;
            } else {
                newlines = 0;
            }
            clean += c;
        }
        return trim(clean);
    }

private:
    void children(const HtmlNode& n, size_t depth) {
        for (const auto& c : n.children) node(*c, depth + 1);
    }

    // --- output primitives --------------------------------------------------
    void text(const std::string& s) {
        std::string c = collapse(s);
        if (c.empty()) return;
        if (at_line_start()) {
            if (c == " ") return;
            if (c[0] == ' ') c.erase(0, 1);
            out_ += prefix_;
        } else if (c[0] == ' ' && !out_.empty() && out_.back() == ' ') {
            c.erase(0, 1);
        }
        out_ += c;
    }
    void raw(const std::string& s) {
        for (char c : s) {
            if (at_line_start()) out_ += prefix_;
            out_ += c;
        }
    }
    bool at_line_start() const { return out_.empty() || out_.back() == '\n'; }
    void line_break() {
        while (!out_.empty() && out_.back() == ' ') out_.pop_back();
        if (!out_.empty()) out_ += '\n';
    }
    void end_line() {
        if (!out_.empty() && !at_line_start()) out_ += '\n';
    }
    void block_break() {
        end_line();
        if (out_.empty()) return;
        if (list_depth_ > 0) return;  // blocks inside list items stay tight
        if (out_.size() < 2 || out_[out_.size() - 2] != '\n') out_ += prefix_.empty() ? "\n" : trim_right(prefix_) + "\n";
    }
    static std::string trim_right(std::string s) {
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s;
    }

    // Renders `n`'s children into a string (for link texts and cells).
    std::string capture(const HtmlNode& n, size_t depth) {
        std::string saved = std::move(out_), saved_prefix = std::move(prefix_);
        out_.clear();
        prefix_.clear();
        children(n, depth);
        std::string got = out_;
        out_ = std::move(saved);
        prefix_ = std::move(saved_prefix);
        for (auto& c : got)
            if (c == '\n') c = ' ';
        return trim(collapse(got));
    }

    // --- elements -------------------------------------------------------------
    void heading(const HtmlNode& n, int level, size_t depth) {
        const std::string inner = capture(n, depth);
        if (inner.empty()) return;
        block_break();
        text(md_ ? std::string(static_cast<size_t>(level), '#') + " " + inner : inner);
        block_break();
    }

    void link(const HtmlNode& n, size_t depth) {
        const std::string inner = capture(n, depth);
        const std::string href = n.attr("href");
        if (!md_ || href.empty() || href[0] == '#' || href.rfind("javascript:", 0) == 0) return text(inner);
        const std::string label = inner.empty() ? n.attr("title") : inner;
        if (label.empty()) return;
        glue(label.find("![") == 0 ? label : "[" + label + "](" + resolve_url(base_, href) + ")");
    }

    void image(const HtmlNode& n) {
        const std::string alt = collapse(n.attr("alt"));
        if (alt.empty() || alt == " ") return;
        if (!md_) return text(alt);
        const std::string src = n.attr("src");
        glue(src.empty() || src.rfind("data:", 0) == 0 ? alt : "![" + alt + "](" + resolve_url(base_, src) + ")");
    }

    // Inline text that must not be collapsed again (it contains a URL).
    void glue(const std::string& s) {
        if (at_line_start()) out_ += prefix_;
        else if (out_.back() != ' ' && out_.back() != '(' && out_.back() != '[') out_ += ' ';
        out_ += s;
    }

    void wrap(const HtmlNode& n, const std::string& mark, size_t depth) {
        const std::string inner = capture(n, depth);
        if (inner.empty()) return;
        if (mark.empty()) return text(" " + inner + " ");
        glue(mark + inner + mark);
    }

    void rule() {
        block_break();
        text(md_ ? "---" : "");
        block_break();
    }

    void pre(const HtmlNode& n) {
        block_break();
        const std::string lang = code_language(n);
        if (md_) raw("```" + lang + "\n");
        std::string body = inner_text(n);
        while (!body.empty() && body.back() == '\n') body.pop_back();
        if (!body.empty() && body[0] == '\n') body.erase(0, 1);
        raw(body);
        end_line();
        if (md_) raw("```\n");
        block_break();
    }

    void list(const HtmlNode& n, bool ordered, size_t depth) {
        if (list_depth_ == 0) block_break();
        else end_line();
        ++list_depth_;
        int number = 1;
        for (const auto& c : n.children) {
            if (c->tag == "li") item(*c, ordered ? std::to_string(number++) + ". " : "- ", depth + 1);
            else node(*c, depth + 1);
        }
        --list_depth_;
        end_line();
        if (list_depth_ == 0) block_break();
    }

    void item(const HtmlNode& n, const std::string& marker, size_t depth) {
        end_line();
        out_ += prefix_ + marker;
        const std::string saved = prefix_;
        prefix_ += std::string(marker.size(), ' ');
        children(n, depth);
        prefix_ = saved;
        end_line();
    }

    void quote(const HtmlNode& n, size_t depth) {
        block_break();
        const std::string saved = prefix_;
        prefix_ += md_ ? "> " : "  ";
        children(n, depth);
        prefix_ = saved;
        block_break();
    }

    void table(const HtmlNode& n, size_t depth) {
        block_break();
        std::vector<const HtmlNode*> rows;
        collect_rows(n, rows, depth);
        bool first = true;
        for (const HtmlNode* row : rows) {
            std::vector<std::string> cells;
            bool header = false;
            for (const auto& c : row->children) {
                if (c->tag != "td" && c->tag != "th") continue;
                header = header || c->tag == "th";
                std::string cell = capture(*c, depth);
                std::string escaped;
                for (char ch : cell) escaped += ch == '|' && md_ ? std::string("\\|") : std::string(1, ch);
                cells.push_back(escaped);
            }
            if (cells.empty()) continue;
            std::string line = md_ ? "|" : "";
            for (const auto& cell : cells) line += md_ ? " " + cell + " |" : cell + (&cell == &cells.back() ? "" : " | ");
            raw(line + "\n");
            if (first && header && md_) {
                std::string sep = "|";
                for (size_t k = 0; k < cells.size(); ++k) sep += " --- |";
                raw(sep + "\n");
            }
            first = false;
        }
        block_break();
    }

    // Rows of this table, not of tables nested in its cells.
    void collect_rows(const HtmlNode& n, std::vector<const HtmlNode*>& rows, size_t depth) {
        if (depth > kMaxDepth) return;
        for (const auto& c : n.children) {
            if (c->tag == "tr") rows.push_back(c.get());
            else if (c->tag == "thead" || c->tag == "tbody" || c->tag == "tfoot") collect_rows(*c, rows, depth + 1);
        }
    }

    // "language-cpp" on <pre><code class=…> becomes the fence's info string.
    static std::string code_language(const HtmlNode& pre) {
        for (const auto& c : pre.children) {
            if (c->tag != "code") continue;
            const std::string cls = c->attr("class");
            const auto at = cls.find("language-");
            if (at == std::string::npos) continue;
            const auto end = cls.find(' ', at);
            return cls.substr(at + 9, end == std::string::npos ? std::string::npos : end - at - 9);
        }
        return "";
    }

    std::string base_;
    bool md_;
    std::string out_;
    std::string prefix_;
    int list_depth_ = 0;
};

const HtmlNode* find_tag(const HtmlNode& n, std::string_view tag, size_t depth = 0) {
    if (n.tag == tag) return &n;
    if (depth > kMaxDepth) return nullptr;
    for (const auto& c : n.children)
        if (const HtmlNode* f = find_tag(*c, tag, depth + 1)) return f;
    return nullptr;
}

}  // namespace

PageText html_to_text(std::string_view html, const std::string& base_url, PageFormat format) {
    const auto root = parse_html(html);
    std::string base = base_url;
    if (const HtmlNode* b = find_tag(*root, "base"); b && !b->attr("href").empty()) base = resolve_url(base_url, b->attr("href"));
    PageText page;
    if (const HtmlNode* t = find_tag(*root, "title")) page.title = trim(collapse(inner_text(*t)));
    Renderer r(base, format);
    r.node(*root);
    const std::string body = r.finish();
    if (page.title.empty()) page.body = body;
    else page.body = (format == PageFormat::markdown ? "# " : "") + page.title + "\n\n" + body;
    return page;
}

}  // namespace cowork::web
