// API methods about plugins: list, enable/disable (persisted), trust.
#include "app/kernel_impl.hpp"

#include "plugins/signing.hpp"

namespace cowork::kernel::app {
namespace {

Result<std::string> plugin_id_param(const Json& params) {
    const std::string id = params.value("id", "");
    if (id.empty()) return make_error(api::kInvalidParams, "params.id (a plugin id such as tool.files) is required");
    return id;
}

Result<Json> set_enabled(Kernel::Impl& k, const Json& params, bool enabled) {
    auto id = plugin_id_param(params);
    if (!id) return id.error();
    bool known = false;
    for (const auto& p : k.plugins->snapshot()) known = known || p.value("id", "") == *id;
    if (!known) return make_error(api::kInvalidParams, "no plugin " + *id + " (see `cowork plugins list`)");
    storage::PluginState s;
    s.plugin_id = *id;
    if (auto prev = k.plugin_states->get(*id); prev && *prev) s = **prev;
    s.enabled = enabled;
    if (auto st = k.plugin_states->upsert(s).get(); !st) return st.error();
    // Frontends (the control plane) relay it to their clients.
    if (k.bus)
        (void)k.bus->publish("config.changed", Json{{"key", "plugins." + *id + ".enabled"},
                                                    {"pluginId", *id},
                                                    {"enabled", enabled},
                                                    {"effective", "next start of coworkd"}});
    std::string note = "takes effect at the next start of coworkd";
    if (enabled && std::find(k.config.kernel.disabled_plugins.begin(), k.config.kernel.disabled_plugins.end(), *id) !=
                       k.config.kernel.disabled_plugins.end())
        note = "recorded, but [kernel] disabled_plugins in " + k.config_path.string() + " still disables it";
    return Json{{"id", *id}, {"enabled", enabled}, {"note", note}};
}

}  // namespace

void register_plugin_methods(Kernel::Impl& k) {
    using namespace api;
    auto& a = k.api;
    (void)a.add({"plugin.list", kScopeRead, false, "every plugin with its state, phase and failure reason"},
                [&k](const Caller& caller, const Json&) -> Result<Json> {
                    Json list = k.plugins->snapshot();
                    if (caller.redacted())
                        for (auto& p : list) {
                            p.erase("dir");
                            p.erase("root");
                        }
                    return list;
                });
    (void)a.add({"plugin.enable", kScopeAdmin, true, "enable a plugin from the next start"},
                [&k](const Caller&, const Json& p) { return set_enabled(k, p, true); });
    (void)a.add({"plugin.disable", kScopeAdmin, true, "disable a plugin from the next start"},
                [&k](const Caller&, const Json& p) { return set_enabled(k, p, false); });
    (void)a.add({"plugin.trust", kScopeAdmin, true, "record the SHA-256 of a plugin's library as trusted"},
                [&k](const Caller&, const Json& params) -> Result<Json> {
                    auto id = plugin_id_param(params);
                    if (!id) return id.error();
                    for (const auto& p : k.plugins->snapshot()) {
                        if (p.value("id", "") != *id || p.value("state", "") == "Shadowed") continue;
                        auto hash = plugins::record_hash(p.value("dir", ""));
                        if (!hash) return hash.error();
                        return Json{{"id", *id}, {"sha256", *hash}, {"note", "loads at the next start of coworkd"}};
                    }
                    return make_error(kInvalidParams, "no plugin " + *id + " (see `cowork plugins list`)");
                });
}

}  // namespace cowork::kernel::app
