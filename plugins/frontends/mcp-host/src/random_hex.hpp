// random_hex.hpp — unguessable identifiers (session ids, event-id tags) from
// libsodium's CSPRNG, as lowercase hex.
#pragma once

#include <sodium.h>

#include <string>
#include <vector>

namespace cowork::mcp {

inline std::string random_hex(size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
    hex.pop_back();  // the terminating NUL sodium writes
    return hex;
}

}  // namespace cowork::mcp
