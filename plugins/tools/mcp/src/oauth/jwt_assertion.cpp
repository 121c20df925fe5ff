#include "oauth/jwt_assertion.hpp"

#include "oauth/encoding.hpp"

#include <cowork/sdk/error.hpp>

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <chrono>
#include <memory>

namespace cowork::mcp::oauth {
namespace {

template <class T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, decltype([](T* p) { Free(p); })>;

Owned<EVP_PKEY, EVP_PKEY_free> read_p256_key(const std::string& pem) {
    Owned<BIO, BIO_free_all> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Owned<EVP_PKEY, EVP_PKEY_free> key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key) throw sdk::invalid("the client's private key is not a readable PEM private key (PKCS#8 or SEC1)");
    if (!EVP_PKEY_is_a(key.get(), "EC") || EVP_PKEY_get_bits(key.get()) != 256)
        throw sdk::invalid("private_key_jwt here signs with ES256: the client's key must be an EC P-256 key");
    return key;
}

// ES256 wants the signature as r‖s, 32 bytes each; OpenSSL gives DER.
std::string raw_signature(const unsigned char* der, size_t size) {
    Owned<ECDSA_SIG, ECDSA_SIG_free> sig(d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(size)));
    if (!sig) throw sdk::failed("ES256 signing produced an unreadable signature");
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    std::string out(64, '\0');
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    if (BN_bn2binpad(r, bytes, 32) != 32 || BN_bn2binpad(s, bytes + 32, 32) != 32)
        throw sdk::failed("ES256 signature does not fit 64 bytes");
    return out;
}

std::string sign(EVP_PKEY* key, const std::string& input) {
    Owned<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
    size_t size = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size, data, input.size()) != 1)
        throw sdk::failed("ES256 signing failed (OpenSSL)");
    std::string der(size, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &size, data, input.size()) != 1)
        throw sdk::failed("ES256 signing failed (OpenSSL)");
    return raw_signature(reinterpret_cast<const unsigned char*>(der.data()), size);
}

std::string random_jti() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw sdk::failed("no randomness for the assertion's jti");
    return base64url(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

}  // namespace

std::string es256_client_assertion(const std::string& private_key_pem, const std::string& client_id,
                                   const std::string& audience) {
    const auto key = read_p256_key(private_key_pem);
    const long long now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const nlohmann::json header{{"alg", "ES256"}, {"typ", "JWT"}};
    const nlohmann::json claims{{"iss", client_id}, {"sub", client_id}, {"aud", audience},
                                {"iat", now},       {"exp", now + 300},  {"jti", random_jti()}};
    const std::string input = base64url(header.dump()) + "." + base64url(claims.dump());
    return input + "." + base64url(sign(key.get(), input));
}

}  // namespace cowork::mcp::oauth
