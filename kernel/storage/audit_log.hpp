// kernel/storage/audit_log.hpp — who did what, what policy decided, and why.
//
// Append-only from the kernel's side (no update or delete API). Details are
// redacted before storing. The policy component's audit sink writes here.
#pragma once

#include "storage/clock.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::storage {

struct AuditEntry {
    std::int64_t id = 0;  // assigned on append
    UnixMillis ts = 0;    // 0 on append: now
    std::string actor;    // "operator:alice", "plugin:tool.shell", "kernel"
    std::string action;   // "tool.call", "approval.respond", …
    std::string target;
    std::string decision;  // "allow" | "deny" | "ask" | "" when not a policy decision
    std::string rule;      // the rule that decided, for explanations
    Json details = Json::object();
};

struct AuditQuery {
    std::optional<std::string> actor;
    std::optional<std::string> action;
    std::optional<UnixMillis> since;  // inclusive
    std::optional<UnixMillis> until;  // exclusive
    int limit = 200;
};

// [any-thread] Holds a reference to the Database, which must outlive it.
class AuditLog {
public:
    explicit AuditLog(Database& db) : db_(db) {}

    // Resolves to the id of the new entry.
    std::future<Result<std::int64_t>> append(AuditEntry entry);
    // Newest first.
    Result<std::vector<AuditEntry>> query(const AuditQuery& q = {}) const;

private:
    Database& db_;
};

}  // namespace cowork::kernel::storage
