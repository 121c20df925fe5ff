#include "oauth/metadata_urls.hpp"

#include <cctype>

namespace cowork::mcp::oauth {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string without_trailing_slash(std::string path) {
    while (!path.empty() && path.back() == '/') path.pop_back();
    return path;
}

}  // namespace

std::optional<Url> parse_url(const std::string& text) {
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string::npos || scheme_end == 0) return std::nullopt;
    Url u;
    u.scheme = lower(text.substr(0, scheme_end));
    std::string rest = text.substr(scheme_end + 3);
    if (const auto hash = rest.find('#'); hash != std::string::npos) rest.resize(hash);
    const auto path_start = rest.find_first_of("/?");
    u.authority = lower(rest.substr(0, path_start));
    if (u.authority.empty()) return std::nullopt;
    if (path_start == std::string::npos) return u;
    std::string tail = rest.substr(path_start);
    if (const auto q = tail.find('?'); q != std::string::npos) {
        u.query = tail.substr(q + 1);
        tail.resize(q);
    }
    u.path = tail;
    return u;
}

std::string origin_of(const std::string& url) {
    const auto u = parse_url(url);
    return u ? u->scheme + "://" + u->authority : "";
}

std::vector<std::string> protected_resource_metadata_urls(const std::string& server_url, const std::string& from_header) {
    std::vector<std::string> out;
    if (!from_header.empty()) out.push_back(from_header);
    const auto u = parse_url(server_url);
    if (!u) return out;
    const std::string base = u->scheme + "://" + u->authority + "/.well-known/oauth-protected-resource";
    const std::string path = without_trailing_slash(u->path);
    if (!path.empty()) out.push_back(base + path);
    out.push_back(base);
    return out;
}

std::vector<std::string> authorization_server_metadata_urls(const std::string& issuer) {
    const auto u = parse_url(issuer);
    if (!u) return {};
    const std::string origin = u->scheme + "://" + u->authority;
    const std::string path = without_trailing_slash(u->path);
    if (path.empty())
        return {origin + "/.well-known/oauth-authorization-server", origin + "/.well-known/openid-configuration"};
    return {origin + "/.well-known/oauth-authorization-server" + path, origin + "/.well-known/openid-configuration" + path,
            origin + path + "/.well-known/openid-configuration"};
}

std::string canonical_resource(const std::string& url) {
    const auto u = parse_url(url);
    if (!u) return url;
    std::string out = u->scheme + "://" + u->authority + without_trailing_slash(u->path);
    if (!u->query.empty()) out += "?" + u->query;
    return out;
}

bool resource_matches(const std::string& advertised, const std::string& server_url) {
    const std::string a = canonical_resource(advertised);
    const std::string s = canonical_resource(server_url);
    if (a == s) return true;
    if (a.find('?') != std::string::npos || s.rfind(a, 0) != 0) return false;
    const char next = s[a.size()];
    return next == '/' || next == '?';
}

}  // namespace cowork::mcp::oauth
