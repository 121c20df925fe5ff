#include "secrets/key_source.hpp"

#include <sodium.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace cowork::kernel::secrets {

Result<MasterKey> load_systemd_credential(const std::filesystem::path& credentials_dir) {
    if (auto s = ensure_sodium(); !s) return s.error();
    std::filesystem::path dir = credentials_dir;
    if (dir.empty()) {
        const char* env = std::getenv("CREDENTIALS_DIRECTORY");
        if (!env || !*env)
            return make_error("secrets.no_credential",
                              "key_source = \"systemd-credential\" but $CREDENTIALS_DIRECTORY is not set; add "
                              "LoadCredentialEncrypted=cowork-secrets-key:<file> to the service unit");
        dir = env;
    }
    const auto path = dir / kSystemdCredentialName;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("secrets.no_credential", "systemd credential " + path.string() +
                                                       " is missing; check the unit's LoadCredentialEncrypted= line");
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (content.size() < MasterKey::size) {
        sodium_memzero(content.data(), content.size());
        return make_error("secrets.credential_size",
                          "systemd credential " + path.string() + " must hold at least 32 bytes (e.g. head -c32 /dev/urandom)");
    }
    uint8_t key[MasterKey::size];
    if (content.size() == MasterKey::size)
        std::copy(content.begin(), content.end(), key);
    else
        crypto_generichash(key, sizeof key, reinterpret_cast<const uint8_t*>(content.data()), content.size(), nullptr, 0);
    sodium_memzero(content.data(), content.size());
    auto master = MasterKey::from_bytes({key, sizeof key});
    sodium_memzero(key, sizeof key);
    return master;
}

Result<MasterKey> load_key(const KeySourceOptions& o) {
    if (o.kind == "keyfile") return load_key_file(o.keyfile);
    if (o.kind == "passphrase")
        return derive_from_passphrase(o.kdf_params_file, o.passphrase ? o.passphrase : passphrase_from_environment(),
                                      o.strength);
    if (o.kind == "systemd-credential") return load_systemd_credential();
    return make_error("secrets.key_source", "unknown [secrets] key_source '" + o.kind +
                                                "'; expected \"keyfile\", \"passphrase\" or \"systemd-credential\"");
}

}  // namespace cowork::kernel::secrets
