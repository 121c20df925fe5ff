// metadata_urls.hpp — where OAuth metadata lives, in the order the MCP
// authorization spec (2025-11-25) says to try: protected resource metadata
// (RFC 9728) and authorization server metadata (RFC 8414, OpenID Connect
// Discovery); plus the canonical resource URI (RFC 8707) and its check.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cowork::mcp::oauth {

struct Url {
    std::string scheme;     // lower-case
    std::string authority;  // host[:port], host lower-case
    std::string path;       // "" or starting with '/'
    std::string query;      // without '?'
};

std::optional<Url> parse_url(const std::string& url);
// "scheme://authority" of an absolute URL ("" when it is not one).
std::string origin_of(const std::string& url);

// The URL from WWW-Authenticate (when given), then
// <origin>/.well-known/oauth-protected-resource<path>, then the root form.
std::vector<std::string> protected_resource_metadata_urls(const std::string& server_url, const std::string& from_header);

// For an issuer with a path (https://as/tenant1):
//   /.well-known/oauth-authorization-server/tenant1,
//   /.well-known/openid-configuration/tenant1, /tenant1/.well-known/openid-configuration;
// without a path: /.well-known/oauth-authorization-server, /.well-known/openid-configuration.
std::vector<std::string> authorization_server_metadata_urls(const std::string& issuer);

// RFC 8707 / MCP canonical form: lower-case scheme and host, no fragment,
// no trailing '/' (unless the path is only '/', which is dropped too).
std::string canonical_resource(const std::string& url);

// A protected resource's metadata must name this server: the same URL, or a
// prefix of it that ends at a path segment boundary (metadata at the origin
// naming the origin).
bool resource_matches(const std::string& advertised, const std::string& server_url);

}  // namespace cowork::mcp::oauth
