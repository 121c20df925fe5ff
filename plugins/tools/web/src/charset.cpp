#include "charset.hpp"

#include "html_entities.hpp"

#include <algorithm>
#include <cstdint>

namespace cowork::web {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// "…charset=xyz;…" → "xyz" (quotes stripped).
std::string after_charset(const std::string& lowered) {
    const auto at = lowered.find("charset=");
    if (at == std::string::npos) return "";
    size_t i = at + 8;
    while (i < lowered.size() && (lowered[i] == '"' || lowered[i] == '\'' || lowered[i] == ' ')) ++i;
    size_t j = i;
    while (j < lowered.size() && (std::isalnum(static_cast<unsigned char>(lowered[j])) || lowered[j] == '-' || lowered[j] == '_' || lowered[j] == ':' || lowered[j] == '.'))
        ++j;
    return lowered.substr(i, j - i);
}

// windows-1252's 0x80-0x9F; the rest of the byte range is ISO-8859-1.
const uint16_t kCp1252[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
                              0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
                              0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

std::string from_latin1(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 4);
    for (unsigned char c : bytes) append_utf8(out, c >= 0x80 && c < 0xA0 ? kCp1252[c - 0x80] : c);
    return out;
}

// Length of the valid UTF-8 sequence at `i`, or 0.
size_t utf8_sequence(std::string_view s, size_t i) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    size_t n = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07;
    else return 0;
    if (i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    const bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

std::string valid_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        const size_t n = utf8_sequence(bytes, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(bytes.substr(i, n));
            i += n;
        }
    }
    return out;
}

}  // namespace

std::string charset_param(const std::string& content_type) { return after_charset(lower(content_type)); }

std::string html_meta_charset(std::string_view html) {
    const std::string head = lower(html.substr(0, 2048));
    for (size_t at = head.find("<meta"); at != std::string::npos; at = head.find("<meta", at + 5)) {
        const auto end = head.find('>', at);
        const std::string tag = head.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (std::string cs = after_charset(tag); !cs.empty()) return cs;
    }
    return "";
}

Decoded to_utf8(std::string_view bytes, const std::string& charset) {
    const std::string cs = lower(charset);
    if (cs == "iso-8859-1" || cs == "latin1" || cs == "latin-1" || cs == "windows-1252" || cs == "cp1252" ||
        cs == "iso8859-1" || cs == "l1")
        return {from_latin1(bytes), "windows-1252", ""};
    Decoded d{valid_utf8(bytes), "utf-8", ""};
    if (!cs.empty() && cs != "utf-8" && cs != "utf8" && cs != "us-ascii" && cs != "ascii")
        d.note = "charset '" + cs + "' is not supported; decoded as UTF-8 (invalid bytes shown as U+FFFD)";
    return d;
}

std::string base64_decode(std::string_view in) {
    static const auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+' || c == '-') return 62;
        if (c == '/' || c == '_') return 63;
        return -1;
    };
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        const int v = value(c);
        if (v < 0) continue;  // '=' padding, line breaks
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

}  // namespace cowork::web
