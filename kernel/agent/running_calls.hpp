// kernel/agent/running_calls.hpp — the tool calls running right now, and the
// way back from a running tool to whoever started its call.
//
// An MCP server behind tool.mcp, or any tool, may need to ask its caller
// something mid-call: a person (elicitation) or a model (sampling). The tool
// calls the kernel API `tool.request` with its callId; the kernel finds the
// call here and hands the question to the call's Responder — the agent task
// that started it, or the API client that called `tool.call` (which answers
// with `tool.respond`). Every call is registered for as long as it runs, so a
// callId that is not running (or belongs to another plugin) is refused.
#pragma once

#include "core/result.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace cowork::kernel::agent {

// What a running tool asks: "elicitation" (MCP elicitation/create params) or
// "sampling" (MCP sampling/createMessage params). The answer is the MCP
// result object.
struct ToolQuestion {
    std::string kind;
    Json params;
    std::chrono::milliseconds timeout{std::chrono::minutes(5)};
};

inline constexpr const char* kQuestionElicitation = "elicitation";
inline constexpr const char* kQuestionSampling = "sampling";
inline constexpr std::chrono::milliseconds kMaxQuestionTimeout = std::chrono::minutes(10);

// Who answers a call's questions. [worker] ask() blocks until answered;
// `cancelled` turns true when the call is cancelled meanwhile.
// Errors: UNSUPPORTED, TIMEOUT, CANCELLED, METHOD_FAILED.
class Responder {
public:
    virtual ~Responder() = default;
    virtual Result<Json> ask(const ToolQuestion& question, const std::atomic<bool>& cancelled) = 0;
    // An answer arriving from outside (tool.respond); only responders that
    // put questions out to an API caller take them.
    virtual Status deliver(const std::string& request_id, Result<Json> answer) {
        (void)answer;
        return make_error("NOT_FOUND", "no open question " + request_id + " on this call");
    }
};

// A Responder for callers that cannot answer anything (the scheduler, a
// caller that did not say it listens): a clear UNSUPPORTED naming who.
std::shared_ptr<Responder> no_responder(std::string who);

class RunningCalls {
public:
    struct Call {
        std::string call_id;
        std::string plugin_id;  // the provider running it
        std::string owner;      // API caller id that may cancel it; empty: the agent owns it
        std::shared_ptr<Responder> responder;
        std::function<void()> cancel;  // asks the provider to stop the call
        std::atomic<bool> cancelled{false};
    };

    // Registered while the returned handle lives. A duplicate callId is refused.
    class Handle {
    public:
        Handle() = default;
        Handle(RunningCalls* calls, std::string id) : calls_(calls), id_(std::move(id)) {}
        Handle(Handle&& o) noexcept : calls_(std::exchange(o.calls_, nullptr)), id_(std::move(o.id_)) {}
        Handle& operator=(Handle&&) = delete;
        ~Handle() {
            if (calls_) calls_->remove(id_);
        }

    private:
        RunningCalls* calls_ = nullptr;
        std::string id_;
    };

    Result<Handle> add(std::shared_ptr<Call> call);

    // The plugin running `call_id` asks its caller. NOT_FOUND unless the call
    // runs and belongs to `plugin_id`.
    Result<Json> ask(const std::string& plugin_id, const std::string& call_id, ToolQuestion question);

    // An API caller cancels its own running call. NOT_FOUND otherwise.
    Status cancel(const std::string& owner, const std::string& call_id);
    // An API caller answers a question its own running call put to it.
    Status respond(const std::string& owner, const std::string& call_id, const std::string& request_id,
                   Result<Json> answer);

    std::shared_ptr<Call> find(const std::string& call_id) const;
    size_t size() const;

private:
    void remove(const std::string& call_id);

    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Call>> calls_;
};

}  // namespace cowork::kernel::agent
