// content.hpp — what web_fetch does with a body, by Content-Type:
//   text/html, xhtml          → Markdown or plain text (html_markdown)
//   application/json, +json   → pretty-printed (as text if it does not parse)
//   text/*, xml, +xml, js, …  → as text
//   pdf, images, audio, video, archives, octet-stream, fonts → binary: refused
// A missing Content-Type is sniffed from the first bytes.
#pragma once

#include <string>
#include <string_view>

namespace cowork::web {

enum class ContentKind { html, json, text, binary };

// Media type without parameters, lower-case ("text/html").
std::string media_type(const std::string& content_type);
ContentKind classify_content(const std::string& content_type, std::string_view first_bytes);

enum class FetchFormat { markdown, text, raw };

struct Rendered {
    std::string text;
    std::string title;
    std::string charset;
    std::string note;  // e.g. an unsupported charset
};

// `kind` must not be binary. `format` raw keeps the decoded body as is.
Rendered render_body(std::string_view body, ContentKind kind, const std::string& content_type,
                     const std::string& url, FetchFormat format);

// Keeps the head and the tail of an over-long text, cutting on UTF-8
// boundaries, with a note in between naming how much was left out.
bool cap_head_tail(std::string& text, size_t max_bytes);

}  // namespace cowork::web
