// kernel/secrets/secret_store.hpp — encrypted settings.
//
// Each value is sealed with XChaCha20-Poly1305 (libsodium IETF variant)
// under the MasterKey, with a fresh random 24-byte nonce. The associated
// data binds the secret's name and key id, so a ciphertext copied to
// another name (or sealed under another key) fails to open instead of
// yielding the wrong secret. Every value put or read is registered with the
// Redactor, so it is scrubbed from logs, events and API errors; errors from
// this class name the key, never the value.
//
// Construction (kernel):
//   auto key   = secrets::load_key(options_from([secrets] section));
//   auto store = std::make_shared<secrets::SecretStore>(std::move(*key), secure_settings_backend);
//   store->register_all_with_redactor();   // at start: scrub values that only sit in the DB
// Thread-safety: all methods [any-thread] if the backend is.
#pragma once

#include "core/result.hpp"
#include "secrets/backend.hpp"
#include "secrets/sodium.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::kernel::secrets {

// Asked after the manifest check passes: Ok to grant, an Error (its message
// shown to the plugin) to refuse. The kernel wires it to
// PolicyEngine::check_plugin_permission(secret_read or secret_write).
using SecretPolicyCheck = std::function<Status(const std::string& plugin_id, const std::string& key)>;

class SecretStore {
public:
    SecretStore(MasterKey key, std::shared_ptr<SecretBackend> backend);

    // Key names: 1–200 chars of [A-Za-z0-9._:/-].
    Status put(const std::string& key, std::string_view value);
    // "secrets.not_found" when absent; "secrets.tampered" when the ciphertext
    // fails authentication; "secrets.wrong_key" when sealed under another key.
    // The returned string holds plaintext: the caller keeps it short-lived.
    Result<std::string> get(const std::string& key);
    Status remove(const std::string& key);
    Result<std::vector<std::string>> list();

    // For a plugin asking through cowork.secrets/1: denied unless `key`
    // matches an entry of the manifest's secret:read list (exact, or a glob
    // as in policy/match.hpp) AND `policy_check` agrees.
    Result<std::string> get_for_plugin(const std::string& plugin_id, const std::string& key,
                                       const std::vector<std::string>& declared_secret_read,
                                       const SecretPolicyCheck& policy_check);
    // The same for a write: `value` stores it, nullopt deletes the key. The
    // manifest list is secret:write; errors name the key, never the value.
    Status put_for_plugin(const std::string& plugin_id, const std::string& key, std::optional<std::string_view> value,
                          const std::vector<std::string>& declared_secret_write, const SecretPolicyCheck& policy_check);

    // Decrypts every stored value once to register it with the Redactor.
    // Returns the names that failed to open (tampered / other key).
    std::vector<std::string> register_all_with_redactor();

    const std::string& key_id() const { return key_.id(); }

private:
    MasterKey key_;
    std::shared_ptr<SecretBackend> backend_;
};

}  // namespace cowork::kernel::secrets
