// kernel/agent/approval_gate.hpp — a tool call waiting for a person.
//
// open() writes the approvals row; wait() blocks the task's worker until
// respond() decides it, the deadline passes (the row is expired: a denial),
// or the task is stopped. Decisions go through ApprovalRepo::decide, which
// only accepts a pending row, so two frontends answering at once cannot
// both win and a late answer after expiry is refused.
#pragma once

#include "storage/approval_repo.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>

namespace cowork::kernel::agent {

enum class ApprovalAnswer { approved, denied, expired, stopped };

struct ApprovalOutcome {
    ApprovalAnswer answer = ApprovalAnswer::denied;
    std::string decided_by;
    std::string reason;
};

class ApprovalGate {
public:
    explicit ApprovalGate(storage::Database& db) : repo_(db) {}

    Result<storage::Approval> open(const std::string& task_id, const std::string& tool, const Json& request,
                                   std::chrono::milliseconds timeout);
    // [worker] `stopped` is polled whenever the gate is woken (wake_all()).
    ApprovalOutcome wait(const std::string& approval_id, std::chrono::milliseconds timeout,
                         const std::function<bool()>& stopped);
    Result<storage::Approval> respond(const std::string& approval_id, bool approve, const std::string& by,
                                      const std::string& reason);
    void wake_all();

    storage::ApprovalRepo& repo() { return repo_; }

private:
    ApprovalOutcome outcome_of(const storage::Approval& a) const;

    storage::ApprovalRepo repo_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::map<std::string, storage::Approval> decided_;  // decided while someone may be waiting
};

}  // namespace cowork::kernel::agent
