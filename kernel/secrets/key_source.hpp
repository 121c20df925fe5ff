// kernel/secrets/key_source.hpp — where the key that seals secrets comes from.
//
// What each source protects against (and what it does not):
//
// keyfile (default) — 32 random bytes in a 0600 file (default
//   $XDG_DATA_HOME/cowork/secrets.key), next to the database.
//   Protects: copies of cowork.db made without the key file (a backup job
//   that skips it, a database attached to a bug report, a synced folder).
//   Does not protect: anyone who can read files as this user (malware,
//   a stolen unencrypted disk, a backup that includes both files). Its
//   only virtue over plaintext is that the two files must leak together.
//
// passphrase — the key is derived with Argon2id from a passphrase given in
//   $COWORK_PASSPHRASE or by a prompt callback; salt and cost parameters are
//   stored in a small 0600 parameter file (not secret). Nothing key-like is
//   on disk. Protects: a stolen disk or backup, as well as the passphrase is
//   strong (Argon2id only slows guessing). Does not protect: a local
//   attacker with the user's rights while the kernel runs (the key is in its
//   memory, the passphrase possibly in its environment). Needs a person or
//   a secret manager at every start.
//   Cost: MODERATE (3 passes, 256 MiB) by default. The derivation runs once
//   per kernel start, not per secret, so we can afford ~4x the memory
//   hardness of INTERACTIVE (64 MiB) against offline guessing; machines
//   with little RAM can pass KdfStrength::interactive. The chosen limits are
//   stored, so changing the default never locks out existing stores.
//
// systemd-credential — $CREDENTIALS_DIRECTORY/cowork-secrets-key, provided
//   by `LoadCredentialEncrypted=` (systemd-creds; sealed to the TPM2 and/or
//   the host key). Protects: the disk and backups, and other local users
//   and services; the credential is only readable by this service's
//   process. Does not protect: root, or code running inside the service.
//   Content: exactly 32 bytes are used as the key; any other content of at
//   least 32 bytes is hashed with BLAKE2b-256 into the key.
#pragma once

#include "core/result.hpp"
#include "secrets/sodium.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace cowork::kernel::secrets {

// Key file: created with 32 random bytes (mode 0600, parent 0700) when
// absent. Refused when group/other can access it or another user owns it.
Result<MasterKey> load_key_file(const std::filesystem::path& path);

enum class KdfStrength { interactive, moderate, minimum_for_tests };

// Returns the passphrase, or nullopt when the user declined.
using PassphraseProvider = std::function<std::optional<std::string>()>;

// Reads $COWORK_PASSPHRASE; the returned provider yields nullopt when unset.
PassphraseProvider passphrase_from_environment();

// `params_file` holds salt, limits and a verification tag (JSON, 0600).
// Absent: a new salt is drawn with `strength` and the file is written.
// A wrong passphrase fails with code "secrets.wrong_passphrase".
Result<MasterKey> derive_from_passphrase(const std::filesystem::path& params_file, const PassphraseProvider& provider,
                                         KdfStrength strength = KdfStrength::moderate);

// `credentials_dir` empty: $CREDENTIALS_DIRECTORY.
Result<MasterKey> load_systemd_credential(const std::filesystem::path& credentials_dir = {});

inline constexpr const char* kSystemdCredentialName = "cowork-secrets-key";

// The [secrets] section, resolved: one call for the kernel.
struct KeySourceOptions {
    std::string kind = "keyfile";           // keyfile | passphrase | systemd-credential
    std::filesystem::path keyfile;          // keyfile
    std::filesystem::path kdf_params_file;  // passphrase
    PassphraseProvider passphrase;          // passphrase; empty: environment
    KdfStrength strength = KdfStrength::moderate;
};
Result<MasterKey> load_key(const KeySourceOptions& options);

}  // namespace cowork::kernel::secrets
