#include "secrets/key_source.hpp"

#include "core/private_file.hpp"

#include <sodium.h>

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace cowork::kernel::secrets {
namespace {

// Stored next to the database; nothing in it is secret, but it is still 0600.
struct KdfParams {
    std::vector<uint8_t> salt;
    unsigned long long opslimit = 0;
    size_t memlimit = 0;
    std::vector<uint8_t> check;  // keyed hash proving a derived key is the right one
};

std::string to_hex(const std::vector<uint8_t>& bytes) {
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    hex.pop_back();
    return hex;
}

std::optional<std::vector<uint8_t>> from_hex(const std::string& hex, size_t expected) {
    std::vector<uint8_t> out(expected);
    size_t len = 0;
    if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 || len != expected)
        return std::nullopt;
    return out;
}

std::vector<uint8_t> check_tag(const uint8_t* key) {
    static constexpr char label[] = "cowork.secrets.passphrase-check.v1";
    std::vector<uint8_t> tag(32);
    crypto_generichash(tag.data(), tag.size(), reinterpret_cast<const uint8_t*>(label), sizeof label - 1, key,
                       MasterKey::size);
    return tag;
}

KdfParams fresh_params(KdfStrength strength) {
    KdfParams p;
    p.salt.resize(crypto_pwhash_SALTBYTES);
    randombytes_buf(p.salt.data(), p.salt.size());
    switch (strength) {
        case KdfStrength::moderate:
            p.opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
            p.memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
            break;
        case KdfStrength::interactive:
            p.opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
            p.memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
            break;
        case KdfStrength::minimum_for_tests:
            p.opslimit = crypto_pwhash_OPSLIMIT_MIN;
            p.memlimit = crypto_pwhash_MEMLIMIT_MIN;
            break;
    }
    return p;
}

Error bad_params(const std::filesystem::path& file, const std::string& why) {
    return make_error("secrets.kdf_params", "passphrase parameter file " + file.string() + " is unusable (" + why +
                                                "); restore it from backup — without it the passphrase cannot recreate the key",
                      {{"path", file.string()}});
}

Result<KdfParams> read_params(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    try {
        const Json j = Json::parse(text.str());
        if (j.value("alg", "") != "argon2id13") return bad_params(file, "unknown algorithm");
        KdfParams p;
        auto salt = from_hex(j.at("salt").get<std::string>(), crypto_pwhash_SALTBYTES);
        auto check = from_hex(j.at("check").get<std::string>(), 32);
        if (!salt || !check) return bad_params(file, "salt or check is malformed");
        p.salt = *salt;
        p.check = *check;
        p.opslimit = j.at("opslimit").get<unsigned long long>();
        p.memlimit = j.at("memlimit").get<size_t>();
        if (p.opslimit < crypto_pwhash_OPSLIMIT_MIN || p.memlimit < crypto_pwhash_MEMLIMIT_MIN)
            return bad_params(file, "limits below Argon2id minimum");
        return p;
    } catch (const Json::exception& e) {
        return bad_params(file, e.what());
    }
}

Result<Published> write_params(const std::filesystem::path& file, const KdfParams& p) {
    const Json j{{"version", 1},         {"alg", "argon2id13"},       {"salt", to_hex(p.salt)},
                 {"opslimit", p.opslimit}, {"memlimit", p.memlimit}, {"check", to_hex(p.check)}};
    auto published = publish_private_file(file, j.dump(2) + "\n");
    if (!published)
        return make_error("secrets.kdf_params", "cannot write passphrase parameter file: " + published.error().message);
    return published;
}

Result<MasterKey> derive(std::string& passphrase, const KdfParams& p) {
    uint8_t key[MasterKey::size];
    const int rc = crypto_pwhash(key, sizeof key, passphrase.data(), passphrase.size(), p.salt.data(), p.opslimit,
                                 p.memlimit, crypto_pwhash_ALG_ARGON2ID13);
    sodium_memzero(passphrase.data(), passphrase.size());
    if (rc != 0)
        return make_error("secrets.kdf_memory", "Argon2id could not allocate " + std::to_string(p.memlimit >> 20) +
                                                    " MiB to derive the secrets key; free memory and retry");
    auto master = MasterKey::from_bytes({key, sizeof key});
    sodium_memzero(key, sizeof key);
    return master;
}

}  // namespace

PassphraseProvider passphrase_from_environment() {
    return []() -> std::optional<std::string> {
        const char* value = std::getenv("COWORK_PASSPHRASE");
        if (!value || !*value) return std::nullopt;
        return std::string(value);
    };
}

Result<MasterKey> derive_from_passphrase(const std::filesystem::path& params_file, const PassphraseProvider& provider,
                                         KdfStrength strength) {
    if (auto s = ensure_sodium(); !s) return s.error();
    auto passphrase = provider ? provider() : std::nullopt;
    if (!passphrase || passphrase->empty())
        return make_error("secrets.no_passphrase",
                          "key_source = \"passphrase\" but no passphrase was given; set COWORK_PASSPHRASE or enter it when asked");

    const bool existing = std::filesystem::exists(params_file);
    KdfParams params = fresh_params(strength);
    if (existing) {
        auto stored = read_params(params_file);
        if (!stored) {
            sodium_memzero(passphrase->data(), passphrase->size());
            return std::move(stored).error();
        }
        params = std::move(stored).value();
    }
    auto key = derive(*passphrase, params);
    if (!key) return key;
    const auto tag = check_tag(key->data());
    if (!existing) {
        params.check = tag;
        auto written = write_params(params_file, params);
        if (!written) return written.error();
        // Another process created the store at the same moment with its own
        // salt: derive again from the parameters that won.
        if (*written == Published::already_existed) return derive_from_passphrase(params_file, provider, strength);
        return key;
    }
    if (sodium_memcmp(tag.data(), params.check.data(), tag.size()) != 0)
        return make_error("secrets.wrong_passphrase",
                          "the passphrase is wrong: it does not match the one this secret store was created with");
    return key;
}

}  // namespace cowork::kernel::secrets
