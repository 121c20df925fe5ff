// kernel/plugins/signing.hpp — the tool side of verification: what
// `cowork plugins trust` and `cowork plugins sign` do (see docs/plugins.md).
#pragma once

#include "core/result.hpp"
#include "plugins/verifier.hpp"

#include <array>
#include <filesystem>
#include <string>

namespace cowork::kernel::plugins {

struct SigningKey {
    PublicKey public_key{};
    std::array<unsigned char, 64> secret_key{};  // Ed25519 secret (seed + public half)

    std::string public_base64() const;
    std::string secret_base64() const;
    static Result<SigningKey> from_secret_base64(std::string_view text);
};

SigningKey generate_signing_key();

// Writes <dir>/cowork.plugin.sha256 ("<hex>  <library>") for the library the
// manifest names. Returns the hex digest. Replaces the file atomically.
Result<std::string> record_hash(const std::filesystem::path& plugin_dir);

// Writes <dir>/cowork.plugin.sig: the base64 Ed25519 detached signature of
// the library's bytes.
Status sign(const std::filesystem::path& plugin_dir, const SigningKey& key);

}  // namespace cowork::kernel::plugins
