#include "crypto.hpp"

#include <sodium.h>

#include <stdexcept>

namespace cowork::cp {
namespace {
struct SodiumInit {
    SodiumInit() {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
    }
};
void ensure_sodium() { static SodiumInit once; }
}  // namespace

std::string b64url(const unsigned char* data, size_t size) {
    const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_encoded_len(size, variant), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, variant);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::optional<std::string> b64url_decode(std::string_view text) {
    ensure_sodium();
    std::string out(text.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

std::string random_b64url(size_t bytes) {
    ensure_sodium();
    std::vector<unsigned char> buf(bytes);
    randombytes_buf(buf.data(), buf.size());
    return b64url(buf.data(), buf.size());
}

std::string signed_string(const std::string& nonce, long long ts, const std::string& role,
                          const std::vector<std::string>& scopes) {
    std::string joined;
    for (size_t i = 0; i < scopes.size(); ++i) joined += (i ? "," : "") + scopes[i];
    return "cowork-connect-v1\n" + nonce + "\n" + std::to_string(ts) + "\n" + role + "\n" + joined;
}

bool verify_ed25519(const std::string& public_key_b64, const std::string& signature_b64, std::string_view message) {
    ensure_sodium();
    const auto pk = b64url_decode(public_key_b64);
    const auto sig = b64url_decode(signature_b64);
    if (!pk || !sig || pk->size() != crypto_sign_PUBLICKEYBYTES || sig->size() != crypto_sign_BYTES) return false;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                       reinterpret_cast<const unsigned char*>(pk->data())) == 0;
}

std::optional<std::string> device_id_for(const std::string& public_key_b64) {
    ensure_sodium();
    const auto pk = b64url_decode(public_key_b64);
    if (!pk || pk->size() != crypto_sign_PUBLICKEYBYTES) return std::nullopt;
    unsigned char hash[10];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(pk->data()), pk->size(), nullptr, 0);
    char hex[sizeof hash * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return "d" + std::string(hex);
}

bool equal_secret(std::string_view a, std::string_view b) {
    ensure_sodium();
    if (a.size() != b.size() || a.empty()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_loopback(const std::string& address) {
    return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

}  // namespace cowork::cp
