// kernel/secrets/backend.hpp — where sealed secrets are kept.
//
// The kernel wires an implementation over the secure_settings table
// (columns: key TEXT PRIMARY KEY, ciphertext BLOB, nonce BLOB, key_id TEXT);
// MemoryBackend serves tests. A backend only ever sees ciphertext.
#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::secrets {

struct SealedSecret {
    std::string key;                  // the secret's name, e.g. "llm.openai.api_key"
    std::vector<uint8_t> ciphertext;  // XChaCha20-Poly1305 output (value + 16-byte tag)
    std::vector<uint8_t> nonce;       // 24 random bytes
    std::string key_id;               // MasterKey::id() of the sealing key
};

// Implementations must be thread-safe; SecretStore calls them from any thread.
class SecretBackend {
public:
    virtual ~SecretBackend() = default;
    virtual Status put(const SealedSecret& secret) = 0;                          // insert or replace
    virtual Result<std::optional<SealedSecret>> get(const std::string& key) = 0;  // nullopt: absent
    virtual Status remove(const std::string& key) = 0;                           // absent is not an error
    virtual Result<std::vector<std::string>> list() = 0;                         // names, sorted
};

class MemoryBackend final : public SecretBackend {
public:
    Status put(const SealedSecret& secret) override;
    Result<std::optional<SealedSecret>> get(const std::string& key) override;
    Status remove(const std::string& key) override;
    Result<std::vector<std::string>> list() override;

    // Test hook: direct access to the stored rows (e.g. to tamper with them).
    SealedSecret* raw(const std::string& key);

private:
    std::mutex mutex_;
    std::map<std::string, SealedSecret> rows_;
};

}  // namespace cowork::kernel::secrets
