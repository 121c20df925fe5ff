// charset.hpp — body bytes to UTF-8 text. UTF-8 is checked (invalid bytes
// become U+FFFD so the result is valid JSON text); ISO-8859-1 and
// windows-1252 (what "latin1" means on the web) are converted; US-ASCII is
// UTF-8. Other charsets are decoded as UTF-8 and say so in `note`.
#pragma once

#include <string>
#include <string_view>

namespace cowork::web {

struct Decoded {
    std::string text;
    std::string charset;  // what was applied: "utf-8", "windows-1252", …
    std::string note;     // non-empty when the declared charset is not supported
};

// The charset parameter of a Content-Type header ("" if none), lower-case.
std::string charset_param(const std::string& content_type);
// <meta charset="…"> or <meta http-equiv="Content-Type" content="…charset=…">
// in the first 2 KiB of an HTML document, lower-case ("" if none).
std::string html_meta_charset(std::string_view html);

Decoded to_utf8(std::string_view bytes, const std::string& charset);

std::string base64_decode(std::string_view in);

}  // namespace cowork::web
