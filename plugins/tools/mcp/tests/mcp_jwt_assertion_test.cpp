// private_key_jwt: the ES256 client assertion verifies with the key's public
// half (OpenSSL as the verifier), carries the claims RFC 7523 asks for, and a
// key that is not P-256 is refused by name.
#include "oauth/encoding.hpp"
#include "oauth/jwt_assertion.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>

namespace cowork::mcp::oauth {
namespace {

std::string pem_of(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(size));
    BIO_free(bio);
    return pem;
}

std::string base64url_decode(std::string s) {
    for (auto& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (s.size() % 4) s += '=';
    std::string out(s.size(), '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(s.data()),
                                  static_cast<int>(s.size()));
    out.resize(static_cast<size_t>(n) - (s.size() - s.find_last_not_of('=') - 1));
    return out;
}

// r‖s back to DER, then an ordinary ECDSA verify.
bool verifies(EVP_PKEY* key, const std::string& input, const std::string& raw) {
    if (raw.size() != 64) return false;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    const auto* b = reinterpret_cast<const unsigned char*>(raw.data());
    ECDSA_SIG_set0(sig, BN_bin2bn(b, 32, nullptr), BN_bin2bn(b + 32, 32, nullptr));
    unsigned char* der = nullptr;
    const int der_size = i2d_ECDSA_SIG(sig, &der);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx, der, static_cast<size_t>(der_size), reinterpret_cast<const unsigned char*>(input.data()),
                                     input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return ok;
}

TEST(JwtAssertion, Es256AssertionVerifiesAndCarriesTheClaims) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    ASSERT_NE(key, nullptr);
    const std::string jwt = es256_client_assertion(pem_of(key), "client-7", "https://as.example/");
    const auto dot1 = jwt.find('.');
    const auto dot2 = jwt.find('.', dot1 + 1);
    ASSERT_NE(dot2, std::string::npos);
    const auto header = nlohmann::json::parse(base64url_decode(jwt.substr(0, dot1)));
    const auto claims = nlohmann::json::parse(base64url_decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1)));
    EXPECT_EQ(header["alg"], "ES256");
    EXPECT_EQ(claims["iss"], "client-7");
    EXPECT_EQ(claims["sub"], "client-7");
    EXPECT_EQ(claims["aud"], "https://as.example/");
    EXPECT_EQ(claims["exp"].get<long long>() - claims["iat"].get<long long>(), 300);
    EXPECT_FALSE(claims.value("jti", "").empty());
    EXPECT_TRUE(verifies(key, jwt.substr(0, dot2), base64url_decode(jwt.substr(dot2 + 1))));
    // A different key does not verify it: the check above can fail.
    EVP_PKEY* other = EVP_EC_gen("P-256");
    EXPECT_FALSE(verifies(other, jwt.substr(0, dot2), base64url_decode(jwt.substr(dot2 + 1))));
    // Two assertions never share a jti.
    EXPECT_NE(es256_client_assertion(pem_of(key), "c", "a"), es256_client_assertion(pem_of(key), "c", "a"));
    EVP_PKEY_free(other);
    EVP_PKEY_free(key);
}

TEST(JwtAssertion, KeysThatAreNotP256AreRefusedByName) {
    EXPECT_THROW(es256_client_assertion("not a pem", "c", "a"), sdk::Error);
    EVP_PKEY* p384 = EVP_EC_gen("P-384");
    try {
        es256_client_assertion(pem_of(p384), "c", "a");
        ADD_FAILURE() << "a P-384 key was accepted";
    } catch (const sdk::Error& e) {
        EXPECT_NE(std::string(e.what()).find("P-256"), std::string::npos) << e.what();
    }
    EVP_PKEY_free(p384);
}

}  // namespace
}  // namespace cowork::mcp::oauth
