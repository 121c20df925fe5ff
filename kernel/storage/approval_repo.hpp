// kernel/storage/approval_repo.hpp — "ask" decisions waiting for a person.
#pragma once

#include "storage/clock.hpp"
#include "storage/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::storage {

struct Approval {
    std::string id;  // empty on create: one is generated ("appr_…")
    std::string task_id;
    std::string tool;
    Json request = Json::object();  // what the tool wants to do (redacted before storing)
    std::string status = "pending";  // pending | approved | denied | expired
    std::optional<std::string> decided_by;
    std::optional<std::string> reason;
    UnixMillis created_at = 0;
    std::optional<UnixMillis> decided_at;
    std::optional<UnixMillis> expires_at;
};

// [any-thread] Holds a reference to the Database, which must outlive it.
class ApprovalRepo {
public:
    explicit ApprovalRepo(Database& db) : db_(db) {}

    std::future<Result<Approval>> create(Approval approval);
    // Only a pending approval can be decided: "approval.not_pending" otherwise,
    // so two frontends answering at once cannot both win.
    std::future<Result<Approval>> decide(const std::string& id, bool approve, const std::string& decided_by,
                                         const std::string& reason = "");
    // Marks pending approvals whose expires_at <= now as expired; returns how many.
    std::future<Result<std::int64_t>> expire_due(UnixMillis now);

    Result<std::optional<Approval>> get(const std::string& id) const;
    // Pending approvals, oldest first; optionally of one task.
    Result<std::vector<Approval>> list_pending(const std::optional<std::string>& task_id = std::nullopt) const;

private:
    Database& db_;
};

}  // namespace cowork::kernel::storage
