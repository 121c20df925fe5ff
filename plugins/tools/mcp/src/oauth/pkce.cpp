#include "oauth/pkce.hpp"

#include "oauth/encoding.hpp"
#include "oauth/sha256.hpp"

#include <cowork/sdk/error.hpp>

#include <fstream>

namespace cowork::mcp::oauth {

std::string random_token(size_t bytes) {
    // /dev/urandom, not std::random_device: the latter may be a PRNG on some
    // standard libraries, and these values guard an authorization code.
    std::ifstream in("/dev/urandom", std::ios::binary);
    std::string raw(bytes, '\0');
    if (!in.read(raw.data(), static_cast<std::streamsize>(bytes)))
        throw sdk::failed("cannot read /dev/urandom for an OAuth state or PKCE verifier");
    return base64url(raw);
}

std::string s256_challenge(const std::string& verifier) { return base64url(sha256(verifier)); }

Pkce make_pkce() {
    Pkce p;
    p.verifier = random_token(32);
    p.challenge = s256_challenge(p.verifier);
    return p;
}

}  // namespace cowork::mcp::oauth
