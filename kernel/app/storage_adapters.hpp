// kernel/app/storage_adapters.hpp — components' storage interfaces backed
// by cowork.db: sealed secrets in secure_settings, policy decisions in
// audit_log.
#pragma once

#include "policy/audit_sink.hpp"
#include "secrets/backend.hpp"
#include "storage/audit_log.hpp"
#include "storage/secure_settings_repo.hpp"

namespace cowork::kernel::app {

class SecureSettingsBackend final : public secrets::SecretBackend {
public:
    explicit SecureSettingsBackend(storage::Database& db) : repo_(db) {}
    Status put(const secrets::SealedSecret& secret) override;
    Result<std::optional<secrets::SealedSecret>> get(const std::string& key) override;
    Status remove(const std::string& key) override;
    Result<std::vector<std::string>> list() override;

private:
    storage::SecureSettingsRepo repo_;
};

// Queues each decision on the writer without waiting: the policy engine
// calls record() on the deciding thread and it must stay cheap.
class AuditLogSink final : public policy::AuditSink {
public:
    explicit AuditLogSink(storage::Database& db) : log_(db) {}
    void record(const policy::AuditRecord& record) noexcept override;

private:
    storage::AuditLog log_;
};

}  // namespace cowork::kernel::app
