#include "net/redirect.hpp"

#include <algorithm>
#include <cctype>

namespace cowork::kernel::net {
namespace {

bool iequals(const std::string& a, const char* b) {
    return std::equal(a.begin(), a.end(), b, b + std::char_traits<char>::length(b),
                      [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == y; });
}

bool credential(const std::string& name) {
    return iequals(name, "authorization") || iequals(name, "cookie") || iequals(name, "proxy-authorization");
}

std::string absolute(const Url& from, const std::string& location) {
    if (location.find("://") != std::string::npos) return location;
    if (location.rfind("//", 0) == 0) return from.scheme + ":" + location;
    if (!location.empty() && location.front() == '/') return from.scheme + "://" + from.authority() + location;
    // Relative path: resolve against the current directory of the target.
    const std::string path = from.target.substr(0, from.target.find('?'));
    return from.scheme + "://" + from.authority() + path.substr(0, path.rfind('/') + 1) + location;
}

}  // namespace

bool is_redirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

Result<std::pair<Url, HttpRequest>> next_hop(const Url& from, const HttpRequest& request, int status,
                                             const std::string& location) {
    if (location.empty()) return make_error(code::protocol, "redirect " + std::to_string(status) + " from " + from.str() + " has no Location");
    auto to = parse_url(absolute(from, location));
    if (!to) return make_error(code::protocol, "cannot follow redirect from " + from.str() + ": " + to.error().message);
    HttpRequest next = request;
    next.url = to->str();
    if (status == 303 || ((status == 301 || status == 302) && request.method == "POST")) {
        next.method = "GET";
        next.body.clear();
        std::erase_if(next.headers, [](const auto& h) { return iequals(h.first, "content-type"); });
    }
    if (to->host != from.host || to->scheme != from.scheme || to->port != from.port)
        std::erase_if(next.headers, [](const auto& h) { return credential(h.first); });
    return std::pair{std::move(to).value(), std::move(next)};
}

}  // namespace cowork::kernel::net
