#include "policy/match.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>

namespace cowork::kernel::policy {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Splits "host:port" (IPv6 literals in brackets keep their colons).
struct HostPort {
    std::string host;
    std::string port;  // empty: none
};

HostPort split_host_port(std::string_view text) {
    HostPort hp;
    std::string s = lower(text);
    if (!s.empty() && s.front() == '[') {
        const auto close = s.find(']');
        hp.host = s.substr(0, close == std::string::npos ? s.size() : close + 1);
        if (close != std::string::npos && close + 1 < s.size() && s[close + 1] == ':') hp.port = s.substr(close + 2);
    } else if (const auto colon = s.rfind(':'); colon != std::string::npos && s.find(':') == colon) {
        hp.host = s.substr(0, colon);
        hp.port = s.substr(colon + 1);
    } else {
        hp.host = s;
    }
    if (!hp.host.empty() && hp.host.back() == '.') hp.host.pop_back();
    return hp;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string normalised(std::string_view p) {
    std::string s = std::filesystem::path(p).lexically_normal().generic_string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
    if (pattern.empty()) return text.empty();
    if (pattern.substr(0, 2) == "**") {
        const auto rest = pattern.substr(2);
        for (size_t i = 0; i <= text.size(); ++i)
            if (glob_match(rest, text.substr(i))) return true;
        return false;
    }
    if (pattern.front() == '*') {
        const auto rest = pattern.substr(1);
        for (size_t i = 0; i <= text.size(); ++i) {
            if (glob_match(rest, text.substr(i))) return true;
            if (i < text.size() && text[i] == '.') return false;  // '*' stops at a segment
        }
        return false;
    }
    if (text.empty()) return false;
    if (pattern.front() == '?') return text.front() != '.' && glob_match(pattern.substr(1), text.substr(1));
    return pattern.front() == text.front() && glob_match(pattern.substr(1), text.substr(1));
}

bool path_within(std::string_view root, std::string_view path) {
    if (root.empty() || path.empty() || root.front() != '/' || path.front() != '/') return false;
    const std::string r = normalised(root);
    const std::string p = normalised(path);
    if (r == "/") return true;
    return p == r || (p.size() > r.size() && p.compare(0, r.size(), r) == 0 && p[r.size()] == '/');
}

bool host_matches(std::string_view pattern, std::string_view host_and_port) {
    if (pattern == "*") return true;
    const HostPort want = split_host_port(pattern);
    const HostPort have = split_host_port(host_and_port);
    if (have.host.empty()) return false;
    if (!want.port.empty() && want.port != have.port) return false;
    if (want.host == "*") return true;
    if (want.host.rfind("*.", 0) == 0) {
        const std::string suffix = want.host.substr(1);  // ".example.com"
        return have.host.size() > suffix.size() && ends_with(have.host, suffix);
    }
    return want.host == have.host;
}

std::string host_of_url(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return {};
    auto rest = url.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    const HostPort hp = split_host_port(rest);
    return hp.port.empty() ? hp.host : hp.host + ":" + hp.port;
}

}  // namespace cowork::kernel::policy
