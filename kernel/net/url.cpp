#include "net/url.hpp"

#include <algorithm>
#include <cctype>

namespace cowork::kernel::net {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

Error bad(const std::string& text, const std::string& why) {
    return make_error("invalid", "bad URL '" + text + "': " + why);
}

bool valid_port(const std::string& digits, uint16_t& port) {
    if (digits.empty() || digits.size() > 5 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return false;
    const unsigned long v = std::stoul(digits);
    if (v == 0 || v > 65535) return false;
    port = static_cast<uint16_t>(v);
    return true;
}

}  // namespace

std::string Url::host_port() const {
    const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return h + ":" + std::to_string(port);
}

std::string Url::authority() const {
    if (!default_port()) return host_port();
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::string Url::str() const { return scheme + "://" + authority() + target; }

Result<Url> parse_url(const std::string& text) {
    Url u;
    const auto sep = text.find("://");
    if (sep == std::string::npos) return bad(text, "expected http://… or https://…");
    u.scheme = lower(text.substr(0, sep));
    if (u.scheme != "http" && u.scheme != "https") return bad(text, "only http and https are supported");
    std::string rest = text.substr(sep + 3);
    rest = rest.substr(0, rest.find('#'));
    const auto path_at = rest.find_first_of("/?");
    std::string authority = rest.substr(0, path_at);
    u.target = path_at == std::string::npos ? "/" : rest.substr(path_at);
    if (u.target.front() == '?') u.target.insert(0, "/");
    if (authority.find('@') != std::string::npos) return bad(text, "credentials in the URL are not allowed; send an Authorization header");
    std::string port;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) return bad(text, "unclosed IPv6 bracket");
        u.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return bad(text, "junk after the IPv6 address");
            port = authority.substr(close + 2);
            if (port.empty()) return bad(text, "empty port");
        }
    } else {
        const auto colon = authority.find(':');
        u.host = authority.substr(0, colon);
        if (colon != std::string::npos) {
            port = authority.substr(colon + 1);
            if (port.empty()) return bad(text, "empty port");
        }
    }
    u.host = lower(u.host);
    if (u.host.empty()) return bad(text, "no host");
    if (u.host.find_first_of(" \t\r\n/\\") != std::string::npos) return bad(text, "invalid characters in the host");
    if (u.target.find_first_of(" \r\n") != std::string::npos) return bad(text, "spaces or line breaks in the path; percent-encode them");
    u.port = u.tls() ? 443 : 80;
    if (!port.empty() && !valid_port(port, u.port)) return bad(text, "port must be 1-65535");
    return u;
}

}  // namespace cowork::kernel::net
