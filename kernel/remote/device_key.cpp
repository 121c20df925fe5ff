#include "remote/device_key.hpp"

#include "core/private_file.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

namespace cowork::kernel::remote {
namespace {

std::string b64url(const unsigned char* data, size_t size) {
    std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::optional<std::vector<unsigned char>> b64url_decode(const std::string& text, size_t expected) {
    std::vector<unsigned char> out(expected);
    size_t len = 0;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != expected)
        return std::nullopt;
    return out;
}

void ensure_sodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

DeviceKey DeviceKey::generate() {
    ensure_sodium();
    DeviceKey k;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    k.secret_key.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(pk, k.secret_key.data());
    k.public_key = b64url(pk, sizeof pk);
    return k;
}

std::string DeviceKey::sign(const std::string& message) const {
    ensure_sodium();
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         secret_key.data());
    return b64url(sig, sizeof sig);
}

std::string connect_message(const std::string& nonce, long long ts, const std::string& role,
                            const std::vector<std::string>& scopes) {
    std::string joined;
    for (size_t i = 0; i < scopes.size(); ++i) joined += (i ? "," : "") + scopes[i];
    return "cowork-connect-v1\n" + nonce + "\n" + std::to_string(ts) + "\n" + role + "\n" + joined;
}

Result<std::optional<DeviceKey>> load_device_key(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return std::optional<DeviceKey>{};
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        return make_error("permission", file.string() + " holds the CLI's private device key but is readable by others; "
                                        "run: chmod 600 " + file.string());
    std::ifstream in(file);
    const Json j = Json::parse(in, nullptr, false);
    const auto broken = [&] {
        return make_error("config.invalid", file.string() + " is not a CoWork device key file; delete it and the next "
                                            "command pairs the CLI again");
    };
    if (!j.is_object()) return broken();
    DeviceKey k;
    k.device_id = j.value("deviceId", "");
    k.public_key = j.value("publicKey", "");
    auto secret = b64url_decode(j.value("secretKey", ""), crypto_sign_SECRETKEYBYTES);
    if (!secret || k.public_key.empty() || k.device_id.empty()) return broken();
    k.secret_key = std::move(*secret);
    return std::optional<DeviceKey>(std::move(k));
}

Status save_device_key(const std::filesystem::path& file, const DeviceKey& key) {
    const Json j{{"deviceId", key.device_id},
                 {"publicKey", key.public_key},
                 {"secretKey", b64url(key.secret_key.data(), key.secret_key.size())},
                 {"note", "the cowork CLI's control-plane device key; keep this file private (0600)"}};
    auto published = publish_private_file(file, j.dump(2) + "\n");
    if (!published) return published.error();
    return ok_status();
}

}  // namespace cowork::kernel::remote
