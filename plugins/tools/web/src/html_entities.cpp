#include "html_entities.hpp"

#include <cstdint>
#include <map>

namespace cowork::web {
namespace {

const std::map<std::string_view, uint32_t>& named() {
    static const std::map<std::string_view, uint32_t> table{
        {"amp", '&'},      {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
        {"nbsp", ' '},     {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122},  {"hellip", 0x2026},
        {"mdash", 0x2014}, {"ndash", 0x2013},  {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"ldquo", 0x201C},
        {"rdquo", 0x201D}, {"sbquo", 0x201A},  {"bdquo", 0x201E},  {"bull", 0x2022},   {"middot", 0xB7},
        {"laquo", 0xAB},   {"raquo", 0xBB},    {"euro", 0x20AC},   {"pound", 0xA3},    {"yen", 0xA5},
        {"cent", 0xA2},    {"deg", 0xB0},      {"plusmn", 0xB1},   {"times", 0xD7},    {"divide", 0xF7},
        {"para", 0xB6},    {"sect", 0xA7},     {"frac12", 0xBD},   {"frac14", 0xBC},   {"frac34", 0xBE},
        {"shy", 0},        {"zwj", 0},         {"zwnj", 0},        {"ensp", ' '},      {"emsp", ' '},
        {"thinsp", ' '},   {"larr", 0x2190},   {"rarr", 0x2192},   {"uarr", 0x2191},   {"darr", 0x2193},
        {"harr", 0x2194},  {"le", 0x2264},     {"ge", 0x2265},     {"ne", 0x2260},     {"asymp", 0x2248},
        {"infin", 0x221E}, {"minus", 0x2212},  {"prime", 0x2032},  {"dagger", 0x2020}, {"check", 0x2713},
        {"auml", 0xE4},    {"ouml", 0xF6},     {"uuml", 0xFC},     {"Auml", 0xC4},     {"Ouml", 0xD6},
        {"Uuml", 0xDC},    {"szlig", 0xDF},    {"eacute", 0xE9},   {"egrave", 0xE8},   {"ecirc", 0xEA},
        {"aacute", 0xE1},  {"agrave", 0xE0},   {"acirc", 0xE2},    {"ccedil", 0xE7},   {"ntilde", 0xF1},
        {"oacute", 0xF3},  {"iacute", 0xED},   {"uacute", 0xFA},   {"Eacute", 0xC9},   {"iexcl", 0xA1},
        {"iquest", 0xBF},  {"micro", 0xB5},    {"alpha", 0x3B1},   {"beta", 0x3B2},    {"pi", 0x3C0},
        {"lambda", 0x3BB}, {"mu", 0x3BC},      {"sigma", 0x3C3},   {"Omega", 0x3A9},   {"hearts", 0x2665},
    };
    return table;
}

// Numeric reference body ("#65", "#x41") → code point, or 0xFFFD.
uint32_t numeric(std::string_view body) {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) return 0xFFFD;
    uint32_t cp = 0;
    for (char c : digits) {
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
        if (v < 0) return 0xFFFD;
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
    return cp;
}

}  // namespace

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string decode_entities(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        const size_t semi = s.find(';', i + 1);
        if (semi == std::string_view::npos || semi - i > 12) {
            out += '&';
            continue;
        }
        const std::string_view body = s.substr(i + 1, semi - i - 1);
        if (!body.empty() && body[0] == '#') {
            append_utf8(out, numeric(body));
        } else if (const auto it = named().find(body); it != named().end()) {
            if (it->second) append_utf8(out, it->second);
        } else {
            out += '&';
            continue;
        }
        i = semi;
    }
    return out;
}

}  // namespace cowork::web
