#include "http_guard.hpp"

#include <algorithm>
#include <cctype>

namespace cowork::mcp {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// "host:port", "[::1]:port", "host" → the host part (brackets kept for IPv6).
std::string host_part(std::string_view authority) {
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        return close == std::string_view::npos ? std::string() : lower(authority.substr(0, close + 1));
    }
    return lower(authority.substr(0, authority.find(':')));
}

bool is_local_name(const std::string& host) { return host == "localhost" || host == "127.0.0.1" || host == "[::1]"; }

bool listed(const std::vector<std::string>& list, const std::string& value) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& v) { return lower(v) == value; });
}

}  // namespace

bool host_allowed(std::string_view host_header, const Settings& settings) {
    if (host_header.empty()) return false;
    const std::string host = host_part(host_header);
    return is_local_name(host) || listed(settings.allowed_hosts, host) || listed(settings.allowed_hosts, lower(host_header));
}

bool origin_allowed(std::string_view origin_header, const Settings& settings) {
    if (origin_header.empty()) return true;
    const std::string origin = lower(origin_header);
    if (listed(settings.allowed_origins, origin)) return true;
    for (const std::string_view scheme : {"http://", "https://"})
        if (origin.rfind(scheme, 0) == 0) {
            const std::string_view authority = std::string_view(origin).substr(scheme.size());
            if (authority.find('/') != std::string_view::npos) return false;
            return is_local_name(host_part(authority));
        }
    return false;
}

std::optional<std::string> bearer_token(std::string_view authorization) {
    constexpr std::string_view kScheme = "bearer ";
    if (authorization.size() <= kScheme.size() || lower(authorization.substr(0, kScheme.size())) != kScheme)
        return std::nullopt;
    std::string_view token = authorization.substr(kScheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    if (token.empty()) return std::nullopt;
    return std::string(token);
}

bool accepts(std::string_view accept_header, std::string_view media_type) {
    const std::string a = lower(accept_header);
    const std::string type = lower(media_type);
    if (a.find(type) != std::string::npos) return true;
    const std::string major = type.substr(0, type.find('/')) + "/*";
    return a.find(major) != std::string::npos || a.find("*/*") != std::string::npos;
}

}  // namespace cowork::mcp
