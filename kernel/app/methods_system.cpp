// API methods about the kernel itself: health, status, version, config, doctor.
#include "app/kernel_impl.hpp"

namespace cowork::kernel::app {

void register_system_methods(Kernel::Impl& k) {
    using namespace api;
    auto& a = k.api;
    (void)a.add({"health", kScopeRead, false, "liveness: ok when the kernel answers"},
                [](const Caller&, const Json&) -> Result<Json> { return Json{{"ok", true}}; });
    (void)a.add({"version", kScopeRead, false, "kernel version and plugin ABI"},
                [](const Caller&, const Json&) -> Result<Json> {
                    return Json{{"version", kernel_version()}, {"abi", {COWORK_ABI_MAJOR, COWORK_ABI_MINOR}}};
                });
    (void)a.add({"api.describe", kScopeRead, false, "every API method with the scope it needs"},
                [&k](const Caller&, const Json&) -> Result<Json> { return k.api.describe(); });
    (void)a.add({"status", kScopeRead, false, "plugins, storage, bus and scheduler at a glance"},
                [&k](const Caller& caller, const Json&) -> Result<Json> {
                    const auto ws = k.db->stats();
                    Json s{{"version", kernel_version()},
                           {"uptimeMs", std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - k.boot_started)
                                            .count()},
                           {"plugins", k.plugin_counts()},
                           {"bus", k.bus->stats()},
                           {"storage", {{"transactions", ws.transactions}, {"jobs", ws.jobs}}},
                           {"scheduler", {{"jobs", k.jobs->jobs().size()}}},
                           {"secrets", k.secrets ? "ok" : "unavailable"}};
                    if (!caller.redacted()) s["paths"] = {{"config", k.config_path.string()},
                                                          {"database", k.paths.database().string()}};
                    return s;
                });
    (void)a.add({"config.get", kScopeRead, false, "the effective configuration, secrets masked"},
                [&k](const Caller& caller, const Json&) -> Result<Json> {
                    config::SecretFields fields;
                    for (const auto& [id, m] : k.manifests)
                        fields[id] = config::secret_fields_from_schema(m.config_schema);
                    Json c = config::to_json(k.config, config::Sanitize::yes, fields);
                    if (caller.redacted()) c.erase("file");
                    return c;
                });
    (void)a.add({"doctor", kScopeAdmin, false, "check the installation and say what to fix"},
                [&k](const Caller&, const Json&) -> Result<Json> { return run_doctor(k); });
}

}  // namespace cowork::kernel::app
