#include "secrets/sodium.hpp"

#include <sodium.h>

#include <cstring>

namespace cowork::kernel::secrets {
namespace {

std::string key_id_of(const uint8_t* key) {
    // BLAKE2b keyed by the key itself over a fixed label: reveals nothing
    // usable about the key, identical for the same key everywhere.
    static constexpr char label[] = "cowork.secrets.key-id.v1";
    uint8_t digest[8];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const uint8_t*>(label), sizeof label - 1, key,
                       MasterKey::size);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

}  // namespace

Status ensure_sodium() {
    static const int rc = sodium_init();  // C++ guarantees one thread-safe call
    if (rc < 0) return make_error("secrets.sodium", "libsodium failed to initialise; secrets are unavailable");
    return ok_status();
}

void MasterKey::Free::operator()(uint8_t* p) const { sodium_free(p); }  // zeroes before freeing

Result<MasterKey> MasterKey::from_bytes(std::span<const uint8_t> bytes) {
    if (auto s = ensure_sodium(); !s) return s.error();
    if (bytes.size() != size)
        return make_error("secrets.key_size", "a secrets key must be exactly 32 bytes, got " + std::to_string(bytes.size()));
    MasterKey key;
    key.bytes_.reset(static_cast<uint8_t*>(sodium_malloc(size)));
    if (!key.bytes_) return make_error("secrets.memory", "could not allocate protected memory for the secrets key");
    std::memcpy(key.bytes_.get(), bytes.data(), size);
    key.id_ = key_id_of(key.bytes_.get());
    return key;
}

Result<MasterKey> MasterKey::random() {
    if (auto s = ensure_sodium(); !s) return s.error();
    uint8_t buf[size];
    randombytes_buf(buf, sizeof buf);
    auto key = from_bytes(buf);
    sodium_memzero(buf, sizeof buf);
    return key;
}

}  // namespace cowork::kernel::secrets
