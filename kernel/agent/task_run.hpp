// kernel/agent/task_run.hpp — the agent loop of one task.
//
// build request → LLM (streamed; text deltas coalesced into llm.delta rows)
// → tool calls (read-only ones in parallel, the others one at a time,
// results in the model's order; `ask` pauses for an approval) → observe
// → repeat until the model ends its turn, a guardrail stops it, or it is
// cancelled / interrupted. Runs on a worker thread; control calls
// (cancel, interrupt, post_message) come from any thread.
#pragma once

#include "agent/approval_gate.hpp"
#include "agent/guardrails.hpp"
#include "agent/llm_client.hpp"
#include "agent/task_history.hpp"
#include "agent/task_recorder.hpp"
#include "agent/task_spec.hpp"
#include "agent/tool_registry.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

namespace cowork::kernel::agent {

struct RunDeps {
    TaskRecorder& recorder;
    ToolRegistry& tools;
    LlmClient& llm;
    ApprovalGate& approvals;
    const Settings& settings;
    std::function<bool(double cost)> add_daily_cost;        // false: the global daily cap is reached
    std::function<std::string(const TaskSpec&)> skills_prompt;  // may be empty
};

class TaskRun;
// The Responder that puts a running tool's questions to this task (task_questions.cpp).
std::shared_ptr<Responder> task_responder(TaskRun& run);

class TaskRun {
public:
    TaskRun(RunDeps deps, TaskSpec spec, TaskHistory history, TaskState state);

    // [worker] Runs until the task leaves the running states.
    void run();

    void cancel();     // the user's cancel: ends `cancelled`
    void interrupt();  // the kernel stops: ends `interrupted`, resumable
    void post_message(QueuedMessage message);
    TaskState state() const;
    const std::string& id() const { return spec_.id; }

    // Questions a running tool puts to this task (tool.request): sampling is
    // answered by the task's own model, elicitation by the task's person.
    Result<Json> sample(const Json& params);
    Result<Json> elicit(const Json& params, std::chrono::milliseconds timeout);

private:
    enum class Stop { none, cancel, interrupt };
    struct CallResult {
        std::string text;
        bool is_error = false;
        std::string queued_id;  // an answer consumed from the inbox
    };
    struct PendingCall {
        Json call;  // the tool_call part
        std::optional<PreparedCall> prepared;
        std::optional<CallResult> result;  // decided before execution (error, builtin, denial)
        bool read_only = false;
    };

    bool set_state(TaskState to, const std::string& reason = "", std::optional<Json> result = std::nullopt,
                   std::optional<std::string> error = std::nullopt);
    void fail(const std::string& reason);
    void finish_stopped();
    bool stopping() const { return stop_.load() != Stop::none; }

    bool drain_inbox();
    bool check_guardrails();
    void maybe_compact(const Json& tools);
    Json build_request(const Json& tools) const;
    std::string system_prompt() const;
    Result<Json> call_llm(Json request, const std::string& purpose);
    Json tool_list(std::vector<ToolRef>& refs) const;

    // false: the task must stop (guardrail, cancel).
    bool run_tools(const Json& calls, const std::vector<ToolRef>& refs);
    PendingCall plan_call(const Json& call, const std::vector<ToolRef>& refs, bool& stop_task);
    void decide_approval(PendingCall& pending);
    // A tool_call the provider marked with argumentsError: the tool error
    // the model gets instead of a run; nullopt when the arguments are fine.
    static std::optional<CallResult> malformed_arguments(const Json& call);
    CallResult run_builtin(const Json& call);
    void execute_batch(std::vector<PendingCall*>& batch);
    CallResult execute_one(const PreparedCall& prepared, const std::string& call_id);

    RunDeps deps_;
    TaskSpec spec_;
    Conversation conversation_;
    Usage usage_;
    Json plan_;
    LoopDetector loops_;
    ProgressTracker progress_;
    ModelInfo model_;
    std::string skills_text_;  // the skills hook's text, fixed for the whole run
    std::chrono::steady_clock::time_point started_;
    int64_t turn_ = 0;

    mutable std::mutex mutex_;  // guards everything below
    std::condition_variable inbox_cv_;
    std::deque<QueuedMessage> inbox_;
    TaskState state_;
    std::atomic<Stop> stop_{Stop::none};
    std::string llm_request_;  // in flight, for cancel
    std::vector<std::pair<ToolRef, std::string>> tool_calls_;  // in flight, for cancel

    std::shared_ptr<Responder> responder_;  // this task, as the caller of its tools
    std::mutex questions_mutex_;            // one tool question at a time per task
    std::atomic<int64_t> samplings_{0};
};

}  // namespace cowork::kernel::agent
