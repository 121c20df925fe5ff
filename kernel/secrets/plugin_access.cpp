// SecretStore::get_for_plugin: the cowork.secrets/1 permission hook. Keys
// match the manifest list with the policy glob (see policy/match.hpp).
#include "secrets/secret_store.hpp"

#include "core/log.hpp"
#include "policy/match.hpp"
#include "secrets/scrub.hpp"

#include <algorithm>

namespace cowork::kernel::secrets {

Result<std::string> SecretStore::get_for_plugin(const std::string& plugin_id, const std::string& key,
                                                const std::vector<std::string>& declared,
                                                const SecretPolicyCheck& policy_check) {
    const bool is_declared =
        std::any_of(declared.begin(), declared.end(), [&](const auto& pattern) { return policy::glob_match(pattern, key); });
    if (!is_declared) {
        logger()->warn("plugin '{}' asked for undeclared secret '{}'", plugin_id, key);  // sink redacts
        return detail::scrub(make_error("secrets.undeclared",
                          "plugin '" + plugin_id + "' did not declare secret:read for '" + key +
                              "' in its cowork.plugin.json permissions",
                          {{"plugin", plugin_id}, {"key", key}, {"permission", "secret:read"}}));
    }
    if (!policy_check)
        return make_error("secrets.denied", "no policy check is wired for plugin secret access; refusing",
                          {{"plugin", plugin_id}, {"key", key}});
    if (auto allowed = policy_check(plugin_id, key); !allowed) {
        Error e = allowed.error();
        e.details["plugin"] = plugin_id;
        e.details["key"] = key;
        return detail::scrub(std::move(e));
    }
    return get(key);
}

}  // namespace cowork::kernel::secrets
