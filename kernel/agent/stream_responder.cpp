#include "agent/stream_responder.hpp"

namespace cowork::kernel::agent {
namespace {

// How often a waiting question looks at the call's cancel flag.
constexpr auto kCancelPoll = std::chrono::milliseconds(50);

}  // namespace

Result<Json> StreamResponder::ask(const ToolQuestion& question, const std::atomic<bool>& cancelled) {
    if (!emit_ || !kinds_.count(question.kind))
        return make_error("UNSUPPORTED", "the caller of this tool (" + who_ + ") cannot answer " + question.kind +
                                             " requests (it did not list \"" + question.kind + "\" in tool.call's answers)");
    std::string id;
    {
        std::lock_guard lock(mutex_);
        if (open_.size() >= kMaxOpen)
            return make_error("METHOD_FAILED", "too many open questions on this call (at most " + std::to_string(kMaxOpen) + ")");
        id = "q" + std::to_string(++next_);
        open_.emplace(id, std::nullopt);
    }
    emit_({{"type", "request"}, {"requestId", id}, {"kind", question.kind}, {"params", question.params}});
    const auto deadline = std::chrono::steady_clock::now() + question.timeout;
    std::unique_lock lock(mutex_);
    while (!open_[id].has_value()) {
        if (cancelled) {
            open_.erase(id);
            return make_error("CANCELLED", "the tool call was cancelled or ended while its " + question.kind + " request waited");
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            open_.erase(id);
            return make_error("TIMEOUT", who_ + " did not answer the " + question.kind + " request in time");
        }
        cv_.wait_for(lock, kCancelPoll);
    }
    Result<Json> answer = std::move(*open_[id]);
    open_.erase(id);
    return answer;
}

Status StreamResponder::deliver(const std::string& request_id, Result<Json> answer) {
    {
        std::lock_guard lock(mutex_);
        auto it = open_.find(request_id);
        if (it == open_.end() || it->second.has_value())
            return make_error("NOT_FOUND", "no open question " + request_id + " on this call (answered, timed out or unknown)");
        it->second = std::move(answer);
    }
    cv_.notify_all();
    return ok_status();
}

}  // namespace cowork::kernel::agent
