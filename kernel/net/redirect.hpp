// kernel/net/redirect.hpp — what the next hop of a redirect looks like.
#pragma once

#include "net/http_types.hpp"

#include <optional>

namespace cowork::kernel::net {

bool is_redirect(int status);

// The request for the hop to `location` (absolute, scheme-relative or
// path-absolute), per RFC 9110: 303 (and 301/302 after POST) become GET
// without a body; credentials (Authorization, Cookie, Proxy-Authorization)
// are dropped when the host or scheme changes. Errors: "protocol" for a
// Location we cannot follow.
Result<std::pair<Url, HttpRequest>> next_hop(const Url& from, const HttpRequest& request, int status,
                                             const std::string& location);

}  // namespace cowork::kernel::net
