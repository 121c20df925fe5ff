#include "content.hpp"

#include "charset.hpp"
#include "html_markdown.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cowork::web {
namespace {

bool starts(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }
bool ends(const std::string& s, std::string_view p) {
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

ContentKind sniff(std::string_view bytes) {
    std::string head(bytes.substr(0, 512));
    std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto first = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first != std::string::npos) {
        const std::string lead = head.substr(first);
        if (starts(lead, "<!doctype html") || starts(lead, "<html") || starts(lead, "<head") || starts(lead, "<body"))
            return ContentKind::html;
        if (lead[0] == '{' || lead[0] == '[') return ContentKind::json;
    }
    if (bytes.substr(0, 8192).find('\0') != std::string_view::npos) return ContentKind::binary;
    return ContentKind::text;
}

}  // namespace

std::string media_type(const std::string& content_type) {
    std::string m = content_type.substr(0, content_type.find(';'));
    std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    m.erase(0, m.find_first_not_of(' '));
    while (!m.empty() && m.back() == ' ') m.pop_back();
    return m;
}

ContentKind classify_content(const std::string& content_type, std::string_view first_bytes) {
    const std::string m = media_type(content_type);
    if (m.empty()) return sniff(first_bytes);
    if (m == "text/html" || m == "application/xhtml+xml") return ContentKind::html;
    if (m == "application/json" || ends(m, "+json") || m == "text/json") return ContentKind::json;
    if (starts(m, "text/") || m == "application/xml" || ends(m, "+xml") || m == "application/javascript" ||
        m == "application/ecmascript" || m == "application/x-yaml" || m == "application/yaml" ||
        m == "application/toml" || m == "application/x-sh" || m == "application/sql" || m == "application/csv" ||
        m == "application/x-ndjson" || m == "application/graphql")
        return ContentKind::text;
    return ContentKind::binary;  // pdf, image/*, audio/*, video/*, zip, octet-stream, font/*, …
}

Rendered render_body(std::string_view body, ContentKind kind, const std::string& content_type, const std::string& url,
                     FetchFormat format) {
    std::string charset = charset_param(content_type);
    if (charset.empty() && kind == ContentKind::html) charset = html_meta_charset(body);
    Decoded d = to_utf8(body, charset);
    Rendered r{std::move(d.text), "", d.charset, d.note};
    if (format == FetchFormat::raw) return r;
    if (kind == ContentKind::html) {
        PageText page = html_to_text(r.text, url, format == FetchFormat::markdown ? PageFormat::markdown : PageFormat::text);
        r.text = std::move(page.body);
        r.title = std::move(page.title);
    } else if (kind == ContentKind::json) {
        const auto parsed = nlohmann::json::parse(r.text, nullptr, false);
        if (!parsed.is_discarded()) r.text = parsed.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return r;
}

bool cap_head_tail(std::string& text, size_t max_bytes) {
    if (text.size() <= max_bytes) return false;
    const size_t keep_head = max_bytes * 3 / 4, keep_tail = max_bytes - keep_head;
    const auto boundary = [&](size_t at) {
        while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
        return at;
    };
    const size_t head_end = boundary(keep_head);
    const size_t tail_start = boundary(text.size() - keep_tail);
    const std::string note = "\n\n[… " + std::to_string(tail_start - head_end) +
                             " bytes omitted; the page is longer than the result cap …]\n\n";
    text = text.substr(0, head_end) + note + text.substr(tail_start);
    return true;
}

}  // namespace cowork::web
