#include "web_url.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace cowork::web {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t\r\n\f");
    if (a == std::string::npos) return "";
    return s.substr(a, s.find_last_not_of(" \t\r\n\f") - a + 1);
}

// Removes "." and ".." segments (RFC 3986 §5.2.4) from a path starting with '/'.
std::string remove_dots(const std::string& path) {
    std::vector<std::string> parts, kept;
    size_t i = 1;
    for (;;) {
        const size_t j = path.find('/', i);
        parts.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
        if (j == std::string::npos) break;
        i = j + 1;
    }
    for (size_t k = 0; k < parts.size(); ++k) {
        const bool last = k + 1 == parts.size();
        if (parts[k] == "." || parts[k] == "..") {
            if (parts[k] == ".." && !kept.empty()) kept.pop_back();
            if (last) kept.emplace_back();  // "/a/." and "/a/b/.." end in a slash
        } else {
            kept.push_back(parts[k]);
        }
    }
    std::string out;
    for (const auto& p : kept) out += "/" + p;
    return out.empty() ? "/" : out;
}

}  // namespace

std::string WebUrl::str() const {
    const bool v6 = host.find(':') != std::string::npos;
    return scheme + "://" + (v6 ? "[" + host + "]" : host) + (port.empty() ? "" : ":" + port) + path;
}

std::optional<WebUrl> parse_web_url(const std::string& raw) {
    const std::string url = trim(raw);
    const auto colon = url.find(':');
    if (colon == std::string::npos || colon == 0 || url.compare(colon, 3, "://") != 0) return std::nullopt;
    WebUrl u;
    u.scheme = lower(url.substr(0, colon));
    if (!std::all_of(u.scheme.begin(), u.scheme.end(), [](unsigned char c) { return std::isalnum(c) || c == '+' || c == '-' || c == '.'; }))
        return std::nullopt;
    const size_t start = colon + 3;
    const size_t end = url.find_first_of("/?#\\", start);
    std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (const auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    if (!authority.empty() && authority[0] == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        u.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return std::nullopt;
            u.port = authority.substr(close + 2);
        }
    } else if (const auto c = authority.rfind(':'); c != std::string::npos) {
        u.host = authority.substr(0, c);
        u.port = authority.substr(c + 1);
    } else {
        u.host = authority;
    }
    if (u.host.empty()) return std::nullopt;
    if (!std::all_of(u.port.begin(), u.port.end(), [](unsigned char c) { return std::isdigit(c); }) || u.port.size() > 5)
        return std::nullopt;
    u.host = lower(u.host);
    while (!u.host.empty() && u.host.back() == '.') u.host.pop_back();  // "example.com." is example.com
    if (u.host.empty()) return std::nullopt;
    u.path = end == std::string::npos ? "/" : url.substr(end);
    std::replace(u.path.begin(), u.path.begin() + std::min(u.path.find_first_of("?#"), u.path.size()), '\\', '/');
    if (u.path[0] != '/') u.path = "/" + u.path;
    return u;
}

std::string resolve_url(const std::string& base_text, const std::string& ref_raw) {
    const std::string ref = trim(ref_raw);
    if (parse_web_url(ref)) return ref;
    const auto colon = ref.find(':');
    if (colon != std::string::npos && ref.find_first_of("/?#") > colon) return ref;  // mailto:, javascript:, data:
    const auto base = parse_web_url(base_text);
    if (!base) return ref;
    if (ref.rfind("//", 0) == 0) return base->scheme + ":" + ref;
    const std::string origin = WebUrl{base->scheme, base->host, base->port, ""}.str();
    const std::string base_path = base->path.substr(0, base->path.find_first_of("?#"));
    const std::string base_query = base->path.substr(0, base->path.find('#'));
    if (ref.empty()) return origin + base_query;
    if (ref[0] == '#') return origin + base_query + ref;
    if (ref[0] == '?') return origin + base_path + ref;
    const auto tail_at = ref.find_first_of("?#");
    const std::string ref_path = ref.substr(0, tail_at);
    const std::string tail = tail_at == std::string::npos ? "" : ref.substr(tail_at);
    const std::string merged = ref_path[0] == '/' ? ref_path : base_path.substr(0, base_path.rfind('/') + 1) + ref_path;
    return origin + remove_dots(merged) + tail;
}

std::string percent_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string percent_decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace cowork::web
