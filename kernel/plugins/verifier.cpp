#include "plugins/verifier.hpp"

#include "plugins/digest.hpp"
#include "plugins/elf_check.hpp"

#include <sodium.h>

#include <fstream>

namespace cowork::kernel::plugins {
namespace {

namespace fs = std::filesystem;

// First token of the sidecar ("<hex>  <file name>"), if it looks like a SHA-256.
std::optional<std::string> recorded_hash(const fs::path& file) {
    std::ifstream in(file);
    std::string token;
    if (!(in >> token) || token.size() != 64 ||
        token.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
        return std::nullopt;
    for (auto& c : token) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return token;
}

// The signature file holds 64 raw bytes or their base64.
std::optional<std::vector<unsigned char>> signature_bytes(const fs::path& file) {
    auto bytes = read_file(file);
    if (!bytes) return std::nullopt;
    if (bytes->size() == crypto_sign_BYTES) return std::move(bytes).value();
    auto decoded = from_base64(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
    if (decoded && decoded->size() == crypto_sign_BYTES) return decoded;
    return std::nullopt;
}

std::string how_to_trust(const Manifest& m) {
    return "record its hash with `cowork plugins trust " + m.id + "` (or rebuild it), or sign it with a trusted key";
}

}  // namespace

Result<PublicKey> parse_public_key(std::string_view text) {
    auto bytes = from_hex(text);
    if (!bytes || bytes->size() != 32) bytes = from_base64(text);
    if (!bytes || bytes->size() != 32)
        return make_error("key.invalid", "not an Ed25519 public key (expected 32 bytes as base64 or hex)");
    PublicKey key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

Result<fs::path> confined_library(const Manifest& m) {
    const fs::path lib = m.library_path();
    std::error_code ec;
    const auto status = fs::symlink_status(lib, ec);
    if (ec || !fs::exists(status)) return make_error("verify.path", lib.string() + " does not exist");
    if (fs::is_symlink(status))
        return make_error("verify.path", lib.string() + " is a symlink; install the library itself in " + m.dir.string());
    if (!fs::is_regular_file(status)) return make_error("verify.path", lib.string() + " is not a regular file");
    const auto real_dir = fs::canonical(m.dir, ec);
    const auto real_lib = fs::canonical(lib, ec);
    if (ec || real_lib.parent_path() != real_dir)
        return make_error("verify.path", lib.string() + " resolves outside its plugin directory");
    return real_lib;
}

Result<std::string> Verifier::verify(const Manifest& m) const {
    auto lib = confined_library(m);
    if (!lib) return lib.error();
    if (auto elf = check_elf(*lib); !elf) return elf.error();

    const fs::path hash_file = m.dir / kHashFile;
    const fs::path sig_file = m.dir / kSignatureFile;
    std::error_code ec;
    const bool has_hash = fs::exists(hash_file, ec), has_sig = fs::exists(sig_file, ec);
    if (!has_hash && !has_sig)
        return make_error("verify.unverified", m.id + ": neither " + std::string(kHashFile) + " nor " + kSignatureFile +
                                                   " is present, so its code is not loaded; " + how_to_trust(m));
    std::string problems;
    if (has_sig) {
        auto signed_by = check_signature(m);
        if (signed_by) return signed_by;
        problems = signed_by.error().message;
    }
    if (has_hash) {
        const auto recorded = recorded_hash(hash_file);
        auto actual = sha256_file(*lib);
        if (!actual) return actual.error();
        if (recorded && *recorded == *actual) return std::string("sha256");
        if (!problems.empty()) problems += "; ";
        problems += recorded ? m.runtime.library + " does not match its recorded SHA-256 (recorded " +
                                   recorded->substr(0, 12) + "…, file is " + actual->substr(0, 12) +
                                   "…): the file changed after it was installed"
                             : std::string(kHashFile) + " does not start with a 64-digit hex SHA-256";
    }
    return make_error("verify.mismatch", problems + "; reinstall the plugin, or if you changed it on purpose " +
                                             how_to_trust(m));
}

Result<std::string> Verifier::check_signature(const Manifest& m) const {
    ensure_sodium();
    auto sig = signature_bytes(m.dir / kSignatureFile);
    if (!sig) return make_error("verify.mismatch", std::string(kSignatureFile) + " is not a 64-byte Ed25519 signature");
    if (keys_.empty())
        return make_error("verify.mismatch", std::string(kSignatureFile) + " is present but no signing keys are trusted");
    auto bytes = read_file(m.library_path());
    if (!bytes) return bytes.error();
    for (const auto& key : keys_) {
        if (crypto_sign_verify_detached(sig->data(), bytes->data(), bytes->size(), key.key.data()) == 0)
            return "signature by " + key.name;
    }
    return make_error("verify.mismatch", std::string(kSignatureFile) + " is not a valid signature of " +
                                             m.runtime.library + " by any trusted key");
}

}  // namespace cowork::kernel::plugins
