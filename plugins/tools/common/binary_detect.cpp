// Binary detection: a model gains nothing from raw bytes of an image or an
// executable, and they waste its context. NUL bytes never occur in text; a
// large share of invalid UTF-8 means a non-text encoding.
#include "cowork_tools/binary_detect.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

namespace cowork::tools {
namespace {

// Length of the UTF-8 sequence at `s[i]`, 0 when invalid, -1 when the
// sequence is cut by the end of the text.
int utf8_sequence_length(std::string_view s, size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return 1;
    int len = 0;
    unsigned min = 0;
    if ((b0 & 0xE0) == 0xC0) len = 2, min = 0x80;
    else if ((b0 & 0xF0) == 0xE0) len = 3, min = 0x800;
    else if ((b0 & 0xF8) == 0xF0) len = 4, min = 0x10000;
    else return 0;
    if (i + static_cast<size_t>(len) > s.size()) return -1;
    unsigned cp = b0 & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;  // overlong, surrogate
    return len;
}

bool has_suffix(std::string_view name, std::string_view ext) {
    if (name.size() < ext.size()) return false;
    for (size_t i = 0; i < ext.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(name[name.size() - ext.size() + i])) != ext[i]) return false;
    return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}

}  // namespace

size_t invalid_utf8_bytes(std::string_view text) {
    size_t bad = 0;
    for (size_t i = 0; i < text.size();) {
        const int len = utf8_sequence_length(text, i);
        if (len < 0) break;  // cut at the end of a sample: not evidence
        if (len == 0) {
            ++bad;
            ++i;
        } else {
            i += static_cast<size_t>(len);
        }
    }
    return bad;
}

bool looks_binary(std::string_view sample) {
    sample = sample.substr(0, kBinarySniffBytes);
    if (sample.empty()) return false;
    if (std::memchr(sample.data(), '\0', sample.size())) return true;
    return invalid_utf8_bytes(sample) * 10 > sample.size();
}

std::string guess_mime(std::string_view name, std::string_view sample) {
    struct Magic {
        std::string_view bytes;
        const char* mime;
    };
    static const std::array<Magic, 12> magics{{
        {"\x89PNG\r\n\x1a\n", "image/png"},
        {"\xFF\xD8\xFF", "image/jpeg"},
        {"GIF87a", "image/gif"},
        {"GIF89a", "image/gif"},
        {"%PDF-", "application/pdf"},
        {std::string_view("PK\x03\x04", 4), "application/zip"},
        {"\x7F" "ELF", "application/x-elf"},
        {"\x1F\x8B", "application/gzip"},
        {"BZh", "application/x-bzip2"},
        {std::string_view("\xFD" "7zXZ\0", 6), "application/x-xz"},
        {"SQLite format 3", "application/vnd.sqlite3"},
        {"OggS", "audio/ogg"},
    }};
    for (const auto& m : magics)
        if (starts_with(sample, m.bytes)) return m.mime;
    if (starts_with(sample, "RIFF") && sample.size() >= 12 && sample.substr(8, 4) == "WEBP") return "image/webp";

    struct Ext {
        std::string_view ext;
        const char* mime;
    };
    static const std::array<Ext, 16> exts{{
        {".json", "application/json"}, {".md", "text/markdown"}, {".html", "text/html"},
        {".css", "text/css"}, {".js", "text/javascript"}, {".ts", "text/typescript"},
        {".csv", "text/csv"}, {".xml", "application/xml"}, {".svg", "image/svg+xml"},
        {".py", "text/x-python"}, {".cpp", "text/x-c++"}, {".hpp", "text/x-c++"},
        {".c", "text/x-c"}, {".h", "text/x-c"}, {".wasm", "application/wasm"},
        {".mp4", "video/mp4"},
    }};
    for (const auto& e : exts)
        if (has_suffix(name, e.ext)) return e.mime;
    return looks_binary(sample) ? "application/octet-stream" : "text/plain";
}

}  // namespace cowork::tools
