// http_guard.hpp — the checks every HTTP request passes before any MCP
// processing: DNS-rebinding protection (Host and Origin allow-lists, as the
// Streamable HTTP transport's security warning requires), bearer tokens,
// content negotiation. Pure functions, unit-tested without sockets.
#pragma once

#include "settings.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cowork::mcp {

// Host header: localhost, 127.0.0.1 or [::1] (any port), or an exact entry of
// allowed_hosts. A missing Host (HTTP/1.0) is refused.
bool host_allowed(std::string_view host_header, const Settings& settings);

// Origin header: absent (CLIs, SDKs, native apps) is fine; a browser's
// Origin must be http(s)://localhost|127.0.0.1|[::1][:port] or an exact
// entry of allowed_origins. "null" (sandboxed frames, file://) is refused.
bool origin_allowed(std::string_view origin_header, const Settings& settings);

// The token of "Authorization: Bearer <token>", or nullopt.
std::optional<std::string> bearer_token(std::string_view authorization);

// Whether an Accept header admits a media type ("text/event-stream").
bool accepts(std::string_view accept_header, std::string_view media_type);

}  // namespace cowork::mcp
