// sha256.hpp — SHA-256 (FIPS 180-4), for the PKCE S256 code challenge. The
// plugin links no crypto library (it includes only the SDK), and a digest
// is all PKCE needs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cowork::mcp::oauth {

// The 32-byte digest as raw bytes.
std::string sha256(std::string_view message);

}  // namespace cowork::mcp::oauth
