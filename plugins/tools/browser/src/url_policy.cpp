#include "url_policy.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

namespace cowork::browser {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// Chromium drops tabs and newlines anywhere in a URL and trims C0/space at
// both ends; do the same so we judge the host Chromium will see.
std::string clean(const std::string& url) {
    std::string out;
    for (char c : url)
        if (c != '\t' && c != '\n' && c != '\r') out += c;
    const auto first = out.find_first_not_of(std::string("\x00 ", 2) + "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c");
    if (first == std::string::npos) return "";
    const auto last = out.find_last_not_of(' ');
    return out.substr(first, last - first + 1);
}

}  // namespace

std::optional<ParsedUrl> parse_url(const std::string& raw) {
    const std::string url = clean(raw);
    const auto colon = url.find(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    ParsedUrl p;
    p.scheme = lower(url.substr(0, colon));
    if (!std::all_of(p.scheme.begin(), p.scheme.end(), [](char c) { return std::isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.'; }))
        return std::nullopt;
    const bool special = p.scheme == "http" || p.scheme == "https" || p.scheme == "ws" || p.scheme == "wss" || p.scheme == "ftp";
    if (!special) return p;
    // Chromium treats '\' like '/' in special schemes and tolerates any
    // number of slashes after the scheme.
    size_t start = colon + 1;
    while (start < url.size() && (url[start] == '/' || url[start] == '\\')) ++start;
    const size_t end = url.find_first_of("/\\?#", start);
    std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (const auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    std::string host = authority, port;
    if (!authority.empty() && authority[0] == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
    } else if (const auto c = authority.rfind(':'); c != std::string::npos) {
        host = authority.substr(0, c);
        port = authority.substr(c + 1);
    }
    if (host.empty()) return std::nullopt;
    p.host = lower(host);
    if (!port.empty()) {
        if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return std::nullopt;
        p.port = std::stoi(port);
    }
    return p;
}

std::vector<std::string> resolve_host(const std::string& host, std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
    if (rc != 0) {
        error = ::gai_strerror(rc);
        return {};
    }
    std::set<std::string> out;
    for (auto* ai = res; ai; ai = ai->ai_next) {
        char buf[INET6_ADDRSTRLEN] = {};
        const void* addr = ai->ai_family == AF_INET ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr)
                                                    : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr);
        if (::inet_ntop(ai->ai_family, addr, buf, sizeof buf)) out.insert(buf);
    }
    ::freeaddrinfo(res);
    return {out.begin(), out.end()};
}

UrlPolicy::UrlPolicy(UrlPolicyOptions options, Resolver resolver) : options_(std::move(options)), resolver_(resolver) {
    for (auto& h : options_.allowed_hosts) h = lower(h);
}

bool UrlPolicy::host_allowed_explicitly(const std::string& host) const {
    for (const auto& pattern : options_.allowed_hosts) {
        if (pattern == host) return true;
        if (pattern.rfind("*.", 0) == 0 && host.size() > pattern.size() - 1 &&
            host.compare(host.size() - (pattern.size() - 1), std::string::npos, pattern, 1) == 0)
            return true;
    }
    return false;
}

std::optional<std::string> UrlPolicy::check_host(const ParsedUrl& url) const {
    std::string error;
    const auto addresses = resolver_(url.host, error);
    if (addresses.empty()) return "cannot resolve host '" + url.host + "'" + (error.empty() ? "" : ": " + error);
    const bool listed = host_allowed_explicitly(url.host);
    for (const auto& address : addresses) {
        const AddressClass c = classify_address(address);
        if (c == AddressClass::public_) continue;
        const bool local = c == AddressClass::loopback || c == AddressClass::private_;
        // Metadata endpoints hand out cloud credentials: refused even for
        // listed hosts (a listed name could be re-pointed by its DNS).
        if (c != AddressClass::metadata && listed) continue;
        if (local && options_.allow_private) continue;
        std::string why = "host '" + url.host + "' resolves to " + address + ", " + describe(c);
        if (local) why += "; local and private networks are blocked (add the host to allowed_hosts or set allow_private in [plugins.\"tool.browser\"])";
        return why;
    }
    return std::nullopt;
}

std::optional<std::string> UrlPolicy::check_navigation(const std::string& url) const {
    const std::string trimmed = clean(url);
    if (trimmed == "about:blank") return std::nullopt;
    const auto parsed = parse_url(trimmed);
    if (!parsed) return "'" + url + "' is not an absolute http(s) URL";
    if (parsed->scheme != "http" && parsed->scheme != "https")
        return "scheme '" + parsed->scheme + ":' is not allowed; only http, https and about:blank";
    return check_host(*parsed);
}

std::optional<std::string> UrlPolicy::check_request(const std::string& url) const {
    const auto parsed = parse_url(url);
    if (!parsed) return "unparseable URL";
    if (parsed->scheme == "data" || parsed->scheme == "blob" || parsed->scheme == "about") return std::nullopt;
    if (parsed->scheme != "http" && parsed->scheme != "https" && parsed->scheme != "ws" && parsed->scheme != "wss")
        return "scheme '" + parsed->scheme + ":' is not allowed";
    return check_host(*parsed);
}

}  // namespace cowork::browser
