// kernel/plugins/verifier.hpp — nothing reaches dlopen unless it is vouched for.
//
// In order: the library is a regular file directly inside the plugin
// directory (no symlink leading elsewhere); its ELF headers are sane (see
// elf_check.hpp); and either its SHA-256 matches the sidecar
// cowork.plugin.sha256 or cowork.plugin.sig is a valid Ed25519 signature of
// its bytes by one of the kernel's trusted keys. The sidecar hash guards
// against corruption (a damaged .so can crash dlopen itself); only a
// signature says who built the file.
#pragma once

#include "core/result.hpp"
#include "plugins/manifest.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::kernel::plugins {

inline constexpr const char* kHashFile = "cowork.plugin.sha256";
inline constexpr const char* kSignatureFile = "cowork.plugin.sig";

using PublicKey = std::array<unsigned char, 32>;   // Ed25519

struct TrustedKey {
    std::string name;   // shown in logs: which key vouched for a plugin
    PublicKey key{};
};

// A public key as base64 or 64 hex digits.
Result<PublicKey> parse_public_key(std::string_view text);

class Verifier {
public:
    explicit Verifier(std::vector<TrustedKey> trusted_keys = {}) : keys_(std::move(trusted_keys)) {}

    // Ok carries how the library was vouched for: "sha256" or "signature by <name>".
    // Error codes: "verify.path", "elf.invalid", "verify.unverified", "verify.mismatch".
    Result<std::string> verify(const Manifest& manifest) const;

private:
    Result<std::string> check_signature(const Manifest& manifest) const;
    std::vector<TrustedKey> keys_;
};

// The library path after the confinement check: a regular file, not a
// symlink, whose real parent is the plugin directory.
Result<std::filesystem::path> confined_library(const Manifest& manifest);

}  // namespace cowork::kernel::plugins
