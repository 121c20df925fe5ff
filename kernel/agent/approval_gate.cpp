#include "agent/approval_gate.hpp"

namespace cowork::kernel::agent {

Result<storage::Approval> ApprovalGate::open(const std::string& task_id, const std::string& tool, const Json& request,
                                             std::chrono::milliseconds timeout) {
    storage::Approval a;
    a.task_id = task_id;
    a.tool = tool;
    a.request = request;
    a.expires_at = storage::now_ms() + timeout.count();
    return repo_.create(std::move(a)).get();
}

ApprovalOutcome ApprovalGate::outcome_of(const storage::Approval& a) const {
    ApprovalOutcome o;
    o.answer = a.status == "approved" ? ApprovalAnswer::approved
               : a.status == "expired" ? ApprovalAnswer::expired
                                       : ApprovalAnswer::denied;
    o.decided_by = a.decided_by.value_or(a.status == "expired" ? "timeout" : "");
    o.reason = a.reason.value_or("");
    return o;
}

ApprovalOutcome ApprovalGate::wait(const std::string& id, std::chrono::milliseconds timeout,
                                   const std::function<bool()>& stopped) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    const bool woke = cv_.wait_until(lock, deadline, [&] { return decided_.count(id) || stopped(); });
    if (auto it = decided_.find(id); it != decided_.end()) {
        auto o = outcome_of(it->second);
        decided_.erase(it);
        return o;
    }
    lock.unlock();
    if (woke) return {ApprovalAnswer::stopped, "", "the task was stopped"};
    // Timed out: expire the row, unless an answer won the race to the database.
    (void)repo_.expire_due(storage::now_ms() + 1).get();
    auto row = repo_.get(id);
    lock.lock();
    decided_.erase(id);
    if (row && *row) return outcome_of(**row);
    return {ApprovalAnswer::expired, "timeout", ""};
}

Result<storage::Approval> ApprovalGate::respond(const std::string& id, bool approve, const std::string& by,
                                                const std::string& reason) {
    auto decided = repo_.decide(id, approve, by, reason).get();
    if (!decided) return decided;
    {
        std::lock_guard lock(mutex_);
        decided_[id] = *decided;
    }
    cv_.notify_all();
    return decided;
}

void ApprovalGate::wake_all() {
    { std::lock_guard lock(mutex_); }
    cv_.notify_all();
}

}  // namespace cowork::kernel::agent
