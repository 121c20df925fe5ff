// sha256.hpp — SHA-256 for the PKCE S256 code challenge (OpenSSL's, not ours).
#pragma once

#include <string>
#include <string_view>

namespace cowork::mcp::oauth {

// The 32-byte digest as raw bytes.
std::string sha256(std::string_view message);

}  // namespace cowork::mcp::oauth
