// kernel/storage/secure_settings_repo.hpp — encrypted settings, stored opaque.
//
// This repo never sees plaintext or keys: the secrets component encrypts
// (XChaCha20-Poly1305) and hands over ciphertext, nonce and the id of the
// key used, so a key rotation can find what to re-encrypt.
#pragma once

#include "storage/clock.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::storage {

struct SealedValue {
    std::vector<std::uint8_t> ciphertext;
    std::vector<std::uint8_t> nonce;
    std::string key_id;
    UnixMillis updated_at = 0;  // set by put()
};

// [any-thread] Holds a reference to the Database, which must outlive it.
class SecureSettingsRepo {
public:
    explicit SecureSettingsRepo(Database& db) : db_(db) {}

    std::future<Status> put(const std::string& key, SealedValue value);
    std::future<Status> remove(const std::string& key);

    Result<std::optional<SealedValue>> get(const std::string& key) const;
    Result<std::vector<std::string>> keys() const;
    // Keys sealed with `key_id` (for re-encryption after rotation).
    Result<std::vector<std::string>> keys_sealed_with(const std::string& key_id) const;

private:
    Database& db_;
};

}  // namespace cowork::kernel::storage
