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

using V4 = std::array<uint8_t, 4>;
using V6 = std::array<uint8_t, 16>;

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

bool in(const V4& a, uint8_t b0, uint8_t b1, int prefix) {
    const uint32_t ip = (uint32_t(a[0]) << 24) | (uint32_t(a[1]) << 16) | (uint32_t(a[2]) << 8) | a[3];
    const uint32_t net = (uint32_t(b0) << 24) | (uint32_t(b1) << 16);
    const uint32_t mask = prefix == 0 ? 0 : ~uint32_t(0) << (32 - prefix);
    return (ip & mask) == (net & mask);
}

AddressClass classify_v4(const V4& a) {
    if (a == V4{169, 254, 169, 254} || a == V4{100, 100, 100, 200}) return AddressClass::metadata;
    if (in(a, 0, 0, 8)) return AddressClass::unspecified;
    if (in(a, 127, 0, 8)) return AddressClass::loopback;
    if (in(a, 10, 0, 8) || in(a, 172, 16, 12) || in(a, 192, 168, 16) || in(a, 100, 64, 10))
        return AddressClass::private_;
    if (in(a, 169, 254, 16)) return AddressClass::link_local;
    if (in(a, 224, 0, 4)) return AddressClass::multicast;
    if (in(a, 240, 0, 4) || in(a, 198, 18, 15) || (a[0] == 192 && a[1] == 0 && a[2] == 0))
        return AddressClass::reserved;
    return AddressClass::public_;
}

AddressClass classify_v6(const V6& a) {
    static const V6 any{}, loop{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if (a == any) return AddressClass::unspecified;
    if (a == loop) return AddressClass::loopback;
    const bool zero10 = std::all_of(a.begin(), a.begin() + 10, [](uint8_t b) { return b == 0; });
    const bool mapped = zero10 && a[10] == 0xff && a[11] == 0xff;
    const bool compat = zero10 && a[10] == 0 && a[11] == 0;  // deprecated ::a.b.c.d
    const bool nat64 = a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b &&
                       std::all_of(a.begin() + 4, a.begin() + 12, [](uint8_t b) { return b == 0; });
    if (mapped || nat64 || compat) return classify_v4(V4{a[12], a[13], a[14], a[15]});
    if (a[0] == 0x20 && a[1] == 0x02) return classify_v4(V4{a[2], a[3], a[4], a[5]});  // 6to4 2002::/16
    V6 metadata{};
    metadata[0] = 0xfd, metadata[2] = 0x0e, metadata[3] = 0xc2, metadata[14] = 0x02, metadata[15] = 0x54;
    if (a == metadata) return AddressClass::metadata;  // fd00:ec2::254
    if ((a[0] & 0xfe) == 0xfc) return AddressClass::private_;
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return AddressClass::link_local;
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return AddressClass::private_;
    if (a[0] == 0xff) return AddressClass::multicast;
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return AddressClass::reserved;
    return AddressClass::public_;
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

AddressClass classify_address(const std::string& ip) {
    V4 v4{};
    if (::inet_pton(AF_INET, ip.c_str(), v4.data()) == 1) return classify_v4(v4);
    V6 v6{};
    const std::string bare = ip.substr(0, ip.find('%'));
    if (::inet_pton(AF_INET6, bare.c_str(), v6.data()) == 1) return classify_v6(v6);
    return AddressClass::invalid;
}

const char* describe(AddressClass c) {
    switch (c) {
    case AddressClass::public_: return "a public address";
    case AddressClass::loopback: return "a loopback address";
    case AddressClass::private_: return "a private-network address";
    case AddressClass::link_local: return "a link-local address";
    case AddressClass::metadata: return "a cloud metadata endpoint";
    case AddressClass::unspecified: return "an unspecified address";
    case AddressClass::multicast: return "a multicast address";
    case AddressClass::reserved: return "a reserved address";
    case AddressClass::invalid: return "not an IP address";
    }
    return "unknown";
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
