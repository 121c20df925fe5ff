// SecretStore::get_for_plugin / put_for_plugin: the cowork.secrets/1
// permission hooks. Keys match the manifest list with the policy glob (see
// policy/match.hpp); reads need secret:read, writes and deletes secret:write.
#include "secrets/secret_store.hpp"

#include "core/log.hpp"
#include "core/redactor.hpp"
#include "policy/match.hpp"
#include "secrets/scrub.hpp"

#include <algorithm>

namespace cowork::kernel::secrets {
namespace {

// Ok when `key` is declared under `permission` and the policy agrees; the
// error names the permission the plugin has to declare.
Status check_access(const std::string& plugin_id, const std::string& key, const std::vector<std::string>& declared,
                    const char* permission, const SecretPolicyCheck& policy_check) {
    const bool is_declared =
        std::any_of(declared.begin(), declared.end(), [&](const auto& pattern) { return policy::glob_match(pattern, key); });
    if (!is_declared) {
        logger()->warn("plugin '{}' asked for {} on undeclared secret '{}'", plugin_id, permission, key);  // sink redacts
        return detail::scrub(make_error("secrets.undeclared",
                          "plugin '" + plugin_id + "' did not declare " + permission + " for '" + key +
                              "' in its cowork.plugin.json permissions",
                          {{"plugin", plugin_id}, {"key", key}, {"permission", permission}}));
    }
    if (!policy_check)
        return make_error("secrets.denied", "no policy check is wired for plugin secret access; refusing",
                          {{"plugin", plugin_id}, {"key", key}});
    if (auto allowed = policy_check(plugin_id, key); !allowed) {
        Error e = allowed.error();
        e.details["plugin"] = plugin_id;
        e.details["key"] = key;
        e.details["permission"] = permission;
        return detail::scrub(std::move(e));
    }
    return ok_status();
}

}  // namespace

Result<std::string> SecretStore::get_for_plugin(const std::string& plugin_id, const std::string& key,
                                                const std::vector<std::string>& declared,
                                                const SecretPolicyCheck& policy_check) {
    if (auto s = check_access(plugin_id, key, declared, "secret:read", policy_check); !s) return s.error();
    return get(key);
}

Status SecretStore::put_for_plugin(const std::string& plugin_id, const std::string& key,
                                   std::optional<std::string_view> value, const std::vector<std::string>& declared,
                                   const SecretPolicyCheck& policy_check) {
    // Registered before any check: even a refused write must not leak the value.
    if (value) Redactor::instance().add(*value);
    if (auto s = check_access(plugin_id, key, declared, "secret:write", policy_check); !s) return s;
    if (!value) {
        if (auto s = remove(key); !s) return s;
        logger()->info("plugin '{}' deleted secret '{}'", plugin_id, key);
        return ok_status();
    }
    if (auto s = put(key, *value); !s) return s;
    logger()->info("plugin '{}' stored secret '{}' ({} bytes)", plugin_id, key, value->size());
    return ok_status();
}

}  // namespace cowork::kernel::secrets
