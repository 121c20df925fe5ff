#include "plugins/signing.hpp"

#include "plugins/digest.hpp"
#include "plugins/manifest_reader.hpp"

#include <sodium.h>

#include <fstream>

namespace cowork::kernel::plugins {
namespace {

namespace fs = std::filesystem;

// The library file name from the manifest, without full validation: the
// tool may run on a plugin the kernel would reject for other reasons.
Result<fs::path> library_of(const fs::path& dir) {
    auto doc = read_manifest_json(dir / kManifestFile);
    if (!doc) return doc.error();
    const auto* lib = doc->contains("runtime") ? &(*doc)["runtime"] : nullptr;
    if (!lib || !lib->is_object() || !lib->contains("library") || !(*lib)["library"].is_string())
        return make_error("manifest.invalid", "/runtime/library: is required to know which file to hash");
    const fs::path name = (*lib)["library"].get<std::string>();
    if (name.has_parent_path()) return make_error("manifest.invalid", "/runtime/library: must be a plain file name");
    return dir / name;
}

// Write next to the target and rename, so a reader never sees half a file.
Status write_atomically(const fs::path& target, const std::string& content) {
    const fs::path tmp = target.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!(out << content)) return make_error("io", "cannot write " + tmp.string());
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) return make_error("io", "cannot replace " + target.string() + ": " + ec.message());
    return ok_status();
}

}  // namespace

std::string SigningKey::public_base64() const { return to_base64(public_key.data(), public_key.size()); }
std::string SigningKey::secret_base64() const { return to_base64(secret_key.data(), secret_key.size()); }

Result<SigningKey> SigningKey::from_secret_base64(std::string_view text) {
    auto bytes = from_base64(text);
    if (!bytes || bytes->size() != crypto_sign_SECRETKEYBYTES)
        return make_error("key.invalid", "not an Ed25519 secret key (expected 64 bytes as base64)");
    SigningKey key;
    std::copy(bytes->begin(), bytes->end(), key.secret_key.begin());
    crypto_sign_ed25519_sk_to_pk(key.public_key.data(), key.secret_key.data());
    sodium_memzero(bytes->data(), bytes->size());
    return key;
}

SigningKey generate_signing_key() {
    ensure_sodium();
    SigningKey key;
    crypto_sign_keypair(key.public_key.data(), key.secret_key.data());
    return key;
}

Result<std::string> record_hash(const fs::path& plugin_dir) {
    auto lib = library_of(plugin_dir);
    if (!lib) return lib.error();
    auto digest = sha256_file(*lib);
    if (!digest) return digest.error();
    if (auto st = write_atomically(plugin_dir / kHashFile, *digest + "  " + lib->filename().string() + "\n"); !st)
        return st.error();
    return digest;
}

Status sign(const fs::path& plugin_dir, const SigningKey& key) {
    ensure_sodium();
    auto lib = library_of(plugin_dir);
    if (!lib) return lib.error();
    auto bytes = read_file(*lib);
    if (!bytes) return bytes.error();
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, bytes->data(), bytes->size(), key.secret_key.data());
    return write_atomically(plugin_dir / kSignatureFile, to_base64(sig, sizeof sig) + "\n");
}

}  // namespace cowork::kernel::plugins
