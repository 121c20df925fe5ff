#include "oauth/sha256.hpp"

#include <cowork/sdk/error.hpp>

#include <openssl/evp.h>

namespace cowork::mcp::oauth {

std::string sha256(std::string_view message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(message.data(), message.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        throw sdk::failed("SHA-256 failed (OpenSSL)");
    return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace cowork::mcp::oauth
