// metadata_discovery.hpp — finds the protected resource metadata (RFC 9728)
// of an MCP server and the metadata of its authorization server (RFC 8414 /
// OpenID Connect Discovery), trying the URLs of metadata_urls.hpp in order.
// Without protected resource metadata (a 2025-03-26 server) the server's
// origin is the authorization server, and without its metadata the
// 2025-03-26 default endpoints /authorize, /token and /register apply.
#pragma once

#include "oauth/http_fetch.hpp"

#include <functional>
#include <string>
#include <vector>

namespace cowork::mcp::oauth {

struct ResourceMetadata {
    bool found = false;
    std::string url;                                // where it was read
    std::string resource;                           // the resource identifier it names
    std::vector<std::string> authorization_servers; // issuer URLs
    std::vector<std::string> scopes_supported;
};

struct ServerMetadata {
    bool found = false;     // false: the 2025-03-26 default endpoints on the origin
    std::string url;        // where it was read
    std::string issuer;
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string registration_endpoint;  // empty: no dynamic registration
    std::vector<std::string> scopes_supported;
    std::vector<std::string> token_endpoint_auth_methods;  // empty: client_secret_basic (RFC 8414 default)
    std::vector<std::string> code_challenge_methods;
    std::vector<std::string> grant_types;
    bool client_id_metadata_documents = false;
};

using DiscoveryLog = std::function<void(const std::string&)>;

ResourceMetadata discover_resource(const HttpFetch& http, const std::string& server_url,
                                   const std::string& url_from_header, const DiscoveryLog& log);
ServerMetadata discover_server(const HttpFetch& http, const std::string& issuer, const DiscoveryLog& log);
// The 2025-03-26 fallback: /authorize, /token, /register on `origin`.
ServerMetadata default_endpoints(const std::string& origin);

}  // namespace cowork::mcp::oauth
