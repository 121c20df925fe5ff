// jwt_assertion.hpp — a client authenticating to a token endpoint with a
// signed JWT instead of a secret (RFC 7523 §2.2, "private_key_jwt"; MCP's
// client-credentials extension, SEP-1046). ES256 only: the algorithm MCP
// authorization servers are asked to support.
#pragma once

#include <string>

namespace cowork::mcp::oauth {

inline constexpr const char* kJwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

// A compact JWS: iss = sub = client_id, aud = the authorization server's
// issuer, iat/exp (5 minutes), a random jti; signed with the P-256 private
// key in `private_key_pem` (PKCS#8 or SEC1 PEM). Throws sdk::invalid when the
// key is not a P-256 EC private key, naming what was found.
std::string es256_client_assertion(const std::string& private_key_pem, const std::string& client_id,
                                   const std::string& audience);

}  // namespace cowork::mcp::oauth
