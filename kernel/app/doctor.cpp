// `doctor`: what is set up, what is missing, and what to do about it.
// Each check is {name, status: ok|warn|fail, detail, fix}.
#include "app/kernel_impl.hpp"

#include "storage/sqlite.hpp"

#include <cowork/sdk/sink.hpp>

#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cowork::kernel::app {
namespace {

Json check(std::string name, std::string status, std::string detail, std::string fix = "") {
    return {{"name", std::move(name)}, {"status", std::move(status)}, {"detail", std::move(detail)}, {"fix", std::move(fix)}};
}

Json config_check(const Kernel::Impl& k) {
    if (k.config_warnings.empty()) return check("config", "ok", k.config_path.string());
    std::string detail = k.config_path.string() + ": " + std::to_string(k.config_warnings.size()) + " warning(s): " +
                         k.config_warnings.front().to_string();
    return check("config", "warn", detail, "run `cowork config check` for all of them");
}

Json disk_check(const Kernel::Impl& k) {
    struct statvfs vfs {};
    if (statvfs(k.paths.data_dir.c_str(), &vfs) != 0)
        return check("data directory", "fail", k.paths.data_dir.string() + " is not accessible",
                     "create it or set [kernel] data_dir in cowork.toml");
    const double free_mb = static_cast<double>(vfs.f_bavail) * vfs.f_frsize / (1024.0 * 1024.0);
    if (access(k.paths.data_dir.c_str(), W_OK) != 0)
        return check("data directory", "fail", k.paths.data_dir.string() + " is not writable",
                     "fix its ownership or permissions");
    const std::string detail = k.paths.data_dir.string() + " (" + std::to_string(static_cast<long>(free_mb)) + " MiB free)";
    if (free_mb < 200) return check("data directory", "warn", detail, "free some disk space: SQLite needs room to write");
    return check("data directory", "ok", detail);
}

Json database_check(const Kernel::Impl& k) {
    auto r = k.db->read<Json>([](sqlite3* c) -> Result<Json> {
        auto quick = storage::query_one(c, "PRAGMA quick_check");
        if (!quick) return quick.error();
        auto mode = storage::query_one(c, "PRAGMA journal_mode");
        if (!mode) return mode.error();
        auto versions = storage::query(c, "SELECT component, MAX(version) AS version FROM schema_migrations GROUP BY component");
        if (!versions) return versions.error();
        return Json{{"quick_check", quick->begin().value()}, {"journal_mode", mode->begin().value()}, {"schema", *versions}};
    });
    if (!r) return check("database", "fail", r.error().message, "stop coworkd and inspect " + k.paths.database().string());
    const Json& d = *r;
    if (d["quick_check"] != "ok")
        return check("database", "fail", "integrity check: " + d["quick_check"].dump(),
                     "restore from a backup, or move the file away to start fresh");
    std::string schema;
    for (const auto& v : d["schema"]) schema += (schema.empty() ? "" : ", ") + v.value("component", "") + " v" + std::to_string(v.value("version", 0));
    return check("database", "ok", k.paths.database().string() + " (" + d["journal_mode"].get<std::string>() + "; " + schema + ")");
}

Json secrets_check(const Kernel::Impl& k) {
    if (k.secrets)
        return check("secrets", "ok", "key source " + k.config.secrets.key_source + " (XChaCha20-Poly1305), key id " +
                                          k.secrets->key_id());
    return check("secrets", "fail", k.secrets_problem,
                 "fix the key source in [secrets] of cowork.toml (keyfile, passphrase via COWORK_PASSPHRASE, or a systemd credential)");
}

Json plugins_check(const Kernel::Impl& k, Json& checks) {
    const Json counts = k.plugin_counts();
    for (const auto& p : k.plugins->snapshot())
        if (p.value("state", "") == "Failed")
            checks.push_back(check("plugin " + p.value("id", ""), "fail", p.value("phase", "") + ": " + p.value("reason", ""),
                                   "fix or remove " + p.value("dir", "") + ", or disable it: cowork plugins disable " + p.value("id", "")));
    std::string detail = std::to_string(counts["running"].get<int>() + counts["initialized"].get<int>()) + " up, " +
                         std::to_string(counts["failed"].get<int>()) + " failed, " +
                         std::to_string(counts["disabled"].get<int>()) + " disabled";
    return check("plugins", counts["failed"].get<int>() ? "warn" : "ok", detail, "");
}

bool landlock_abi(int* abi) {
#ifdef SYS_landlock_create_ruleset
    const long v = syscall(SYS_landlock_create_ruleset, nullptr, 0, 1u /* LANDLOCK_CREATE_RULESET_VERSION */);
    if (v > 0) {
        *abi = static_cast<int>(v);
        return true;
    }
#endif
    return false;
}

Json sandbox_check() {
    int abi = 0;
    const bool bwrap = access("/usr/bin/bwrap", X_OK) == 0;
    const bool landlock = landlock_abi(&abi);
    std::string detail = std::string("bubblewrap ") + (bwrap ? "installed" : "missing") + ", Landlock " +
                         (landlock ? "ABI " + std::to_string(abi) : "unavailable");
    if (!bwrap && !landlock)
        return check("sandbox", "fail", detail + ": shell commands cannot be confined",
                     "apt-get install bubblewrap (or run a kernel with Landlock)");
    return check("sandbox", "ok", detail + " (the shell tool reports which one it uses below)");
}

// Tool providers may describe themselves (e.g. which sandbox is active).
void tool_status_checks(Kernel::Impl& k, Json& checks) {
    for (const auto& [id, iface] : k.plugins->find_interfaces(COWORK_IFACE_TOOL_PROVIDER)) {
        auto* t = static_cast<const cowork_tool_provider_v1*>(iface);
        sdk::Collector c;
        if (t->list_tools(t->self, "{}", 2, c.sink()) != COWORK_OK) continue;
        const Json listed = c.json();
        if (!listed.is_object() || !listed.contains("status") || !listed["status"].is_object()) continue;
        const Json& s = listed["status"];
        checks.push_back(check(id, s.value("ok", true) ? "ok" : "warn", s.value("summary", s.dump()), s.value("fix", "")));
    }
}

Json listeners_check(const Kernel::Impl& k) {
    auto loopback = [](const std::string& b) { return b == "127.0.0.1" || b == "::1" || b == "localhost"; };
    std::string detail = "control plane " + k.config.control_plane.bind + ":" + std::to_string(k.config.control_plane.port) +
                         ", hooks " + k.config.hooks.bind + ":" + std::to_string(k.config.hooks.port);
    if (!loopback(k.config.control_plane.bind) || !loopback(k.config.hooks.bind))
        return check("listeners", "warn", detail + " — reachable from other machines",
                     "bind to 127.0.0.1 unless you have TLS and a firewall in front");
    return check("listeners", "ok", detail + " (loopback only)");
}

Json tzdata_check() {
    if (access("/usr/share/zoneinfo/UTC", R_OK) == 0 || getenv("TZDIR"))
        return check("time zones", "ok", "tzdata present: cron schedules with IANA zones work");
    return check("time zones", "fail", "/usr/share/zoneinfo is missing: cron jobs with a time zone cannot be scheduled",
                 "apt-get install tzdata");
}

Json bus_check(const Kernel::Impl& k) {
    const Json stats = k.bus->stats();
    uint64_t dropped = 0;
    for (const auto& s : stats.value("subscribers", Json::array())) dropped += s.value("dropped", uint64_t{0});
    if (dropped) return check("event bus", "warn", std::to_string(dropped) + " events dropped by slow observers", "");
    return check("event bus", "ok", std::to_string(stats.value("published", uint64_t{0})) + " events published, none dropped");
}

}  // namespace

Json run_doctor(Kernel::Impl& k) {
    Json checks = Json::array();
    checks.push_back(config_check(k));
    checks.push_back(disk_check(k));
    checks.push_back(database_check(k));
    checks.push_back(secrets_check(k));
    checks.push_back(plugins_check(k, checks));
    checks.push_back(sandbox_check());
    tool_status_checks(k, checks);
    checks.push_back(listeners_check(k));
    checks.push_back(tzdata_check());
    checks.push_back(bus_check(k));
    int failed = 0, warned = 0;
    for (const auto& c : checks) {
        failed += c["status"] == "fail";
        warned += c["status"] == "warn";
    }
    return {{"checks", checks}, {"failed", failed}, {"warnings", warned}};
}

}  // namespace cowork::kernel::app
