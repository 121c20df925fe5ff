// pkce.hpp — Proof Key for Code Exchange (RFC 7636) with S256, the only
// method MCP clients use, and the random `state` that ties a redirect to the
// authorization request that caused it.
#pragma once

#include <string>

namespace cowork::mcp::oauth {

struct Pkce {
    std::string verifier;   // 43 characters of base64url (32 random bytes)
    std::string challenge;  // base64url(SHA-256(verifier))
};

Pkce make_pkce();
std::string s256_challenge(const std::string& verifier);
// `bytes` random bytes from the OS, base64url-encoded (state, verifiers).
std::string random_token(size_t bytes = 32);

}  // namespace cowork::mcp::oauth
