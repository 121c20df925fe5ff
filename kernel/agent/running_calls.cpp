#include "agent/running_calls.hpp"

#include <algorithm>

namespace cowork::kernel::agent {
namespace {

class NoResponder final : public Responder {
public:
    explicit NoResponder(std::string who) : who_(std::move(who)) {}
    Result<Json> ask(const ToolQuestion& q, const std::atomic<bool>&) override {
        return make_error("UNSUPPORTED", "the caller of this tool (" + who_ + ") cannot answer " + q.kind +
                                             " requests: nobody is there to ask");
    }

private:
    std::string who_;
};

}  // namespace

std::shared_ptr<Responder> no_responder(std::string who) { return std::make_shared<NoResponder>(std::move(who)); }

Result<RunningCalls::Handle> RunningCalls::add(std::shared_ptr<Call> call) {
    std::lock_guard lock(mutex_);
    const std::string id = call->call_id;
    if (!calls_.emplace(id, std::move(call)).second)
        return make_error("INVALID_PARAMS", "a tool call with callId " + id + " is already running");
    return Handle(this, id);
}

void RunningCalls::remove(const std::string& call_id) {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(call_id);
    if (it == calls_.end()) return;
    // A question still waiting (asked from another thread of the plugin) ends
    // now instead of at its timeout: nobody is left to take the answer.
    it->second->cancelled = true;
    calls_.erase(it);
}

std::shared_ptr<RunningCalls::Call> RunningCalls::find(const std::string& call_id) const {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(call_id);
    return it == calls_.end() ? nullptr : it->second;
}

size_t RunningCalls::size() const {
    std::lock_guard lock(mutex_);
    return calls_.size();
}

Result<Json> RunningCalls::ask(const std::string& plugin_id, const std::string& call_id, ToolQuestion question) {
    auto call = find(call_id);
    // One answer for "not running" and "not yours": a plugin learns nothing
    // about other plugins' calls.
    if (!call || call->plugin_id != plugin_id)
        return make_error("NOT_FOUND", "no running tool call " + call_id + " of " + plugin_id);
    if (question.kind != kQuestionElicitation && question.kind != kQuestionSampling)
        return make_error("INVALID_PARAMS", "kind must be \"elicitation\" or \"sampling\"");
    if (call->cancelled) return make_error("CANCELLED", "tool call " + call_id + " was cancelled");
    question.timeout = std::clamp(question.timeout, std::chrono::milliseconds(1), kMaxQuestionTimeout);
    return call->responder->ask(question, call->cancelled);
}

Status RunningCalls::cancel(const std::string& owner, const std::string& call_id) {
    auto call = find(call_id);
    if (!call || call->owner.empty() || call->owner != owner)
        return make_error("NOT_FOUND", "no running tool call " + call_id + " started by you");
    call->cancelled = true;
    if (call->cancel) call->cancel();
    return ok_status();
}

Status RunningCalls::respond(const std::string& owner, const std::string& call_id, const std::string& request_id,
                             Result<Json> answer) {
    auto call = find(call_id);
    if (!call || call->owner.empty() || call->owner != owner)
        return make_error("NOT_FOUND", "no running tool call " + call_id + " started by you");
    return call->responder->deliver(request_id, std::move(answer));
}

}  // namespace cowork::kernel::agent
