#include "app/storage_adapters.hpp"

#include "core/log.hpp"

namespace cowork::kernel::app {

Status SecureSettingsBackend::put(const secrets::SealedSecret& secret) {
    return repo_.put(secret.key, storage::SealedValue{secret.ciphertext, secret.nonce, secret.key_id, 0}).get();
}

Result<std::optional<secrets::SealedSecret>> SecureSettingsBackend::get(const std::string& key) {
    auto row = repo_.get(key);
    if (!row) return row.error();
    if (!*row) return std::optional<secrets::SealedSecret>{};
    const auto& v = **row;
    return std::optional<secrets::SealedSecret>(secrets::SealedSecret{key, v.ciphertext, v.nonce, v.key_id});
}

Status SecureSettingsBackend::remove(const std::string& key) { return repo_.remove(key).get(); }

Result<std::vector<std::string>> SecureSettingsBackend::list() { return repo_.keys(); }

void AuditLogSink::record(const policy::AuditRecord& record) noexcept {
    try {
        storage::AuditEntry e;
        e.ts = std::chrono::duration_cast<std::chrono::milliseconds>(record.at.time_since_epoch()).count();
        const Json& req = record.request;
        e.actor = req.contains("plugin") ? "plugin:" + req.value("plugin", "")
                                         : "caller:" + req.value("caller_role", std::string("kernel"));
        e.action = "policy." + req.value("kind", "tool");
        e.target = req.value("tool", req.value("permission", ""));
        e.decision = std::string(policy::to_string(record.decision.verdict));
        e.rule = record.decision.rule_id;
        e.details = {{"request", req}, {"reason", record.decision.reason},
                     {"layer", policy::to_string(record.decision.layer)}};
        // Fire and forget: the writer commits it with the next batch.
        (void)log_.append(std::move(e));
    } catch (const std::exception& ex) {
        logger()->error("audit record dropped: {}", ex.what());
    } catch (...) {
    }
}

}  // namespace cowork::kernel::app
