// kernel/secrets/sodium.hpp — libsodium set-up and key material in guarded memory.
#pragma once

#include "core/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace cowork::kernel::secrets {

// sodium_init() exactly once per process (thread-safe; later calls are free).
Status ensure_sodium();

// A 32-byte symmetric key in sodium_malloc'd memory: guard pages, locked
// against swapping where the OS allows, zeroed and freed on destruction.
// Move-only; never printed.
class MasterKey {
public:
    static constexpr size_t size = 32;

    // Copies `bytes` (must be 32) into guarded memory.
    static Result<MasterKey> from_bytes(std::span<const uint8_t> bytes);
    static Result<MasterKey> random();

    const uint8_t* data() const { return bytes_.get(); }
    // Short public identifier (16 hex chars of a keyed hash): stored with each
    // ciphertext so a value sealed under another key is reported as such.
    const std::string& id() const { return id_; }

private:
    struct Free {
        void operator()(uint8_t* p) const;
    };
    MasterKey() = default;
    std::unique_ptr<uint8_t, Free> bytes_;
    std::string id_;
};

}  // namespace cowork::kernel::secrets
