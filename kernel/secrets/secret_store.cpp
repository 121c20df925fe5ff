#include "secrets/secret_store.hpp"

#include "core/log.hpp"
#include "core/redactor.hpp"
#include "secrets/scrub.hpp"

#include <sodium.h>

#include <algorithm>

namespace cowork::kernel::secrets {
namespace {

constexpr size_t kMaxKeyLength = 200;

std::string associated_data(const std::string& name, const std::string& key_id) {
    return "cowork.secret.v1\n" + key_id + "\n" + name;
}

Status check_key_name(const std::string& key) {
    const bool valid_chars = std::all_of(key.begin(), key.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == ':' || c == '/';
    });
    if (key.empty() || key.size() > kMaxKeyLength || !valid_chars)
        return make_error("secrets.bad_key", "secret names are 1-200 characters of letters, digits and . _ - : /",
                          {{"length", key.size()}});  // the name may be a mistyped value: not echoed
    return ok_status();
}

SealedSecret seal(const MasterKey& master, const std::string& key, std::string_view value) {
    SealedSecret s{key, std::vector<uint8_t>(value.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES),
                   std::vector<uint8_t>(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES), master.id()};
    randombytes_buf(s.nonce.data(), s.nonce.size());
    const std::string ad = associated_data(key, master.id());
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(s.ciphertext.data(), &written,
                                               reinterpret_cast<const uint8_t*>(value.data()), value.size(),
                                               reinterpret_cast<const uint8_t*>(ad.data()), ad.size(), nullptr,
                                               s.nonce.data(), master.data());
    s.ciphertext.resize(written);
    return s;
}

Result<std::string> open(const MasterKey& master, const SealedSecret& s) {
    if (s.key_id != master.id())
        return make_error("secrets.wrong_key",
                          "secret '" + s.key + "' was sealed with key " + s.key_id + " but the current key is " +
                              master.id() + "; the key source changed — restore the old key or set the secret again",
                          {{"key", s.key}});
    const size_t overhead = crypto_aead_xchacha20poly1305_ietf_ABYTES;
    if (s.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES || s.ciphertext.size() < overhead)
        return make_error("secrets.tampered", "secret '" + s.key + "' is damaged (bad nonce or length); set it again",
                          {{"key", s.key}});
    std::string plain(s.ciphertext.size() - overhead, '\0');
    unsigned long long plain_len = 0;
    const std::string ad = associated_data(s.key, s.key_id);
    const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
        reinterpret_cast<uint8_t*>(plain.data()), &plain_len, nullptr, s.ciphertext.data(), s.ciphertext.size(),
        reinterpret_cast<const uint8_t*>(ad.data()), ad.size(), s.nonce.data(), master.data());
    if (rc != 0) {
        sodium_memzero(plain.data(), plain.size());
        return make_error("secrets.tampered",
                          "secret '" + s.key + "' failed authentication: it was modified or moved from another name; set it again",
                          {{"key", s.key}});
    }
    plain.resize(plain_len);
    return plain;
}

}  // namespace

SecretStore::SecretStore(MasterKey key, std::shared_ptr<SecretBackend> backend)
    : key_(std::move(key)), backend_(std::move(backend)) {}

Status SecretStore::put(const std::string& key, std::string_view value) {
    Redactor::instance().add(value);  // first, so nothing below can leak it
    if (auto s = check_key_name(key); !s) return s;
    if (auto s = backend_->put(seal(key_, key, value)); !s) return detail::scrub(std::move(s));
    logger()->debug("secret '{}' stored ({} bytes)", key, value.size());
    return ok_status();
}

Result<std::string> SecretStore::get(const std::string& key) {
    if (auto s = check_key_name(key); !s) return s.error();
    auto row = backend_->get(key);
    if (!row) return detail::scrub(std::move(row).error());
    if (!row->has_value())
        return detail::scrub(make_error("secrets.not_found", "no secret named '" + key + "' is stored",
                          {{"key", key}}));
    auto value = detail::scrub(open(key_, **row));
    if (!value) {
        logger()->warn("{}", value.error().message);
        return value;
    }
    Redactor::instance().add(*value);
    return value;
}

Status SecretStore::remove(const std::string& key) {
    if (auto s = check_key_name(key); !s) return s;
    return detail::scrub(backend_->remove(key));
}

Result<std::vector<std::string>> SecretStore::list() { return backend_->list(); }

std::vector<std::string> SecretStore::register_all_with_redactor() {
    std::vector<std::string> failed;
    auto names = backend_->list();
    if (!names) return failed;
    for (const auto& name : *names) {
        auto value = get(name);
        if (!value) {
            failed.push_back(name);
            continue;
        }
        sodium_memzero(value->data(), value->size());
    }
    return failed;
}

}  // namespace cowork::kernel::secrets
