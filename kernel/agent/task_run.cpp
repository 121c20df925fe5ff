#include "agent/task_run.hpp"

#include "agent/builtin_tools.hpp"
#include "core/log.hpp"

#include <future>

namespace cowork::kernel::agent {
namespace {

constexpr const char* kCompactionPrompt =
    "Summarise this conversation for yourself so you can continue the task with only the summary: the goal, what "
    "was done and found (files, commands, results), decisions, and what remains. Be concise and concrete.";

int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

// Joins streamed text deltas into journal rows of a useful size.
class DeltaBuffer {
public:
    DeltaBuffer(TaskRecorder& rec, std::string task, const Settings& s) : rec_(rec), task_(std::move(task)), s_(s) {}
    ~DeltaBuffer() { flush(); }
    void add(const std::string& text) {
        pending_ += text;
        if (pending_.size() >= s_.delta_flush_bytes || std::chrono::steady_clock::now() - last_ >= s_.delta_flush) flush();
    }
    void flush() {
        last_ = std::chrono::steady_clock::now();
        if (pending_.empty()) return;
        (void)rec_.event(task_, "llm.delta", {{"text", pending_}});
        pending_.clear();
    }

private:
    TaskRecorder& rec_;
    std::string task_;
    const Settings& s_;
    std::string pending_;
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace

TaskRun::TaskRun(RunDeps deps, TaskSpec spec, TaskHistory history, TaskState state)
    : deps_(std::move(deps)),
      spec_(std::move(spec)),
      conversation_(std::move(history.conversation)),
      usage_(history.usage),
      plan_(std::move(history.plan)),
      loops_(deps_.settings.loop_warn_after, deps_.settings.loop_fail_after),
      progress_(deps_.settings.no_progress_turns),
      state_(state) {
    for (auto& m : history.pending_messages) inbox_.push_back(std::move(m));
    responder_ = task_responder(*this);
    for (const auto& [tool, args] : history.tool_calls) (void)loops_.record(tool, args);
}

TaskState TaskRun::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

bool TaskRun::set_state(TaskState to, const std::string& reason, std::optional<Json> result,
                        std::optional<std::string> error) {
    TaskState from;
    {
        std::lock_guard lock(mutex_);
        from = state_;
        if (from == to) return true;
    }
    auto r = deps_.recorder.transition(spec_.id, from, to, reason, std::move(result), std::move(error));
    if (!r) {
        logger()->error("task {}: {}", spec_.id, r.error().message);
        return false;
    }
    std::lock_guard lock(mutex_);
    state_ = to;
    return true;
}

void TaskRun::fail(const std::string& reason) {
    (void)deps_.recorder.event(spec_.id, "task.failed", {{"error", reason}, {"usage", usage_.to_json()}});
    set_state(TaskState::failed, reason, Json{{"usage", usage_.to_json()}, {"plan", plan_}}, reason);
}

void TaskRun::finish_stopped() {
    if (stop_.load() == Stop::cancel) set_state(TaskState::cancelled, "cancelled by the user");
    else set_state(TaskState::interrupted, "the kernel stopped; `cowork task resume " + spec_.id + "` continues it");
}

void TaskRun::cancel() {
    Stop expected = Stop::none;
    stop_.compare_exchange_strong(expected, Stop::cancel);
    std::string request;
    std::vector<std::pair<ToolRef, std::string>> calls;
    {
        std::lock_guard lock(mutex_);
        request = llm_request_;
        calls = tool_calls_;
    }
    if (!request.empty()) deps_.llm.cancel(request);
    for (const auto& [tool, id] : calls) deps_.tools.cancel(tool, id);
    deps_.approvals.wake_all();
    inbox_cv_.notify_all();
}

void TaskRun::interrupt() {
    Stop expected = Stop::none;
    stop_.compare_exchange_strong(expected, Stop::interrupt);
    cancel();  // same unwinding; the first stop reason wins
}

void TaskRun::post_message(QueuedMessage message) {
    {
        std::lock_guard lock(mutex_);
        inbox_.push_back(std::move(message));
    }
    inbox_cv_.notify_all();
}

// ------------------------------------------------------------------ loop --

void TaskRun::run() {
    started_ = std::chrono::steady_clock::now();
    if (stopping()) return finish_stopped();
    if (!set_state(TaskState::planning, "started")) return;
    auto model = deps_.llm.resolve(spec_.model);
    if (!model) return fail(model.error().message);
    model_ = *model;
    // Asked once: the hook reads skill files, and a byte-stable system prompt
    // is what lets providers cache it across turns.
    if (deps_.skills_prompt) skills_text_ = deps_.skills_prompt(spec_);
    while (true) {
        if (stopping()) return finish_stopped();
        drain_inbox();
        if (!check_guardrails()) return;
        std::vector<ToolRef> refs;
        const Json tools = tool_list(refs);
        maybe_compact(tools);
        auto result = call_llm(build_request(tools), "turn");
        if (stopping()) return finish_stopped();
        if (!result) return fail("the LLM call failed: " + result.error().message);
        Json message = result->value("message", Json::object());
        conversation_.add_assistant(message);
        (void)deps_.recorder.event(spec_.id, "assistant.message", {{"message", conversation_.messages().back()}});
        Json calls = Json::array();
        for (const auto& part : conversation_.messages().back()["content"])
            if (part.value("type", "") == "tool_call") calls.push_back(part);
        if (calls.empty()) {
            {
                std::lock_guard lock(mutex_);
                if (!inbox_.empty()) continue;  // a follow-up arrived during the call: answer it too
            }
            const std::string text = text_of_message(message);
            (void)deps_.recorder.event(spec_.id, "task.completed", {{"result", text}, {"usage", usage_.to_json()}});
            set_state(TaskState::completed, result->value("stopReason", "end_turn"),
                      Json{{"text", text}, {"usage", usage_.to_json()}, {"plan", plan_}});
            return;
        }
        if (!run_tools(calls, refs)) return stopping() ? finish_stopped() : void();
    }
}

bool TaskRun::drain_inbox() {
    std::deque<QueuedMessage> taken;
    {
        std::lock_guard lock(mutex_);
        taken.swap(inbox_);
    }
    for (const auto& m : taken) {
        conversation_.add_user(m.text);
        (void)deps_.recorder.event(spec_.id, "user.message", {{"text", m.text}, {"queuedId", m.id}});
    }
    return !taken.empty();
}

bool TaskRun::check_guardrails() {
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
    if (auto spent = budget_exceeded(spec_.budget, usage_, elapsed)) {
        (void)deps_.recorder.event(spec_.id, "guardrail", {{"kind", "budget"}, {"detail", *spent}});
        fail(*spent);
        return false;
    }
    if (deps_.add_daily_cost && !deps_.add_daily_cost(0)) {
        const std::string why = "the daily cost cap ([agent] daily_cost_cap_usd) is reached; tasks resume tomorrow (UTC) "
                                "or when the cap is raised";
        (void)deps_.recorder.event(spec_.id, "guardrail", {{"kind", "daily_cost"}, {"detail", why}});
        fail(why);
        return false;
    }
    return true;
}

std::string TaskRun::system_prompt() const {
    std::string p =
        "You are CoWork, an agent that carries out the user's task on their computer with the tools provided.\n"
        "Workspace folder: " + spec_.workspace + " (relative paths are resolved there).\n"
        "Tools are named <plugin>.<tool>. For multi-step work, lay out a plan with cowork.plan and keep it current "
        "with cowork.update_step. Call cowork.request_user_input only when you cannot proceed without the user.\n"
        "Some tool calls wait for the user's approval; a denied call comes back as an error: adapt, do not repeat it.\n"
        "When the task is done, reply with a short summary of what you did and found, without calling tools.";
    if (!spec_.skill.empty()) p += "\nRequested skill: " + spec_.skill + ".";
    if (!skills_text_.empty()) p += "\n\n" + skills_text_;
    return p;
}

Json TaskRun::tool_list(std::vector<ToolRef>& refs) const {
    refs = deps_.tools.list();
    Json tools = builtin::specs();
    for (const auto& t : refs) tools.push_back(t.llm_spec());
    return tools;
}

Json TaskRun::build_request(const Json& tools) const {
    return {{"model", model_.model},
            {"system", system_prompt()},
            {"messages", conversation_.messages()},
            {"tools", tools},
            {"maxTokens", deps_.settings.max_output_tokens},
            {"stream", true},
            {"cache", {{"system", true}, {"tools", true}}}};
}

Result<Json> TaskRun::call_llm(Json request, const std::string& purpose) {
    // Sampling runs on a tool's thread mid-turn: its own counter keeps the
    // turn number (part of every tool callId) still.
    const std::string request_id = purpose == "sampling" ? spec_.id + "-sampling-" + std::to_string(++samplings_)
                                                         : spec_.id + "-" + purpose + "-" + std::to_string(++turn_);
    request["requestId"] = request_id;
    {
        std::lock_guard lock(mutex_);
        llm_request_ = request_id;
    }
    if (stopping()) return make_error("cancelled", "the task was stopped");
    const auto t0 = std::chrono::steady_clock::now();
    Result<Json> result = make_error("cancelled", "not called");
    {
        DeltaBuffer deltas(deps_.recorder, spec_.id, deps_.settings);
        result = deps_.llm.complete(spec_.model, std::move(request), [&](const Json& e) {
            const std::string type = e.value("type", "");
            if (type == "text_delta" && purpose == "turn") deltas.add(e.value("text", ""));
            else if (type == "retry") (void)deps_.recorder.event(spec_.id, "llm.retry", e);
        });
    }
    {
        std::lock_guard lock(mutex_);
        llm_request_.clear();
    }
    Json record{{"requestId", request_id}, {"purpose", purpose}, {"latencyMs", elapsed_ms(t0)}};
    if (!result) {
        record["error"] = result.error().to_json();
        (void)deps_.recorder.event(spec_.id, "llm.call", record);
        return result;
    }
    for (const char* k : {"provider", "model", "usage", "costUsd", "attempts", "stopReason"})
        if (result->contains(k)) record[k] = (*result)[k];
    if (result->contains("latencyMs")) record["providerLatencyMs"] = (*result)["latencyMs"];
    usage_.add_call(record);
    if (deps_.add_daily_cost) (void)deps_.add_daily_cost(record.value("costUsd", 0.0));
    (void)deps_.recorder.event(spec_.id, "llm.call", record);
    return result;
}

void TaskRun::maybe_compact(const Json& tools) {
    const int64_t window = model_.context_window > 0 ? model_.context_window : deps_.settings.context_window;
    const int64_t estimate = conversation_.estimated_tokens() + static_cast<int64_t>(tools.dump().size() / 4) +
                             static_cast<int64_t>(system_prompt().size() / 4);
    if (conversation_.size() < 4 || estimate < static_cast<int64_t>(deps_.settings.compaction_threshold * window)) return;
    Json messages = conversation_.messages();
    messages.push_back({{"role", "user"}, {"content", Json::array({{{"type", "text"}, {"text", kCompactionPrompt}}})}});
    Json request{{"model", model_.model},
                 {"system", "You write precise working summaries."},
                 {"messages", messages},
                 {"maxTokens", std::min<int64_t>(deps_.settings.max_output_tokens, std::max<int64_t>(256, window / 12))},
                 {"stream", false}};
    auto r = call_llm(std::move(request), "compaction");
    if (!r) {
        (void)deps_.recorder.event(spec_.id, "guardrail", {{"kind", "compaction_failed"}, {"detail", r.error().message}});
        return;
    }
    const std::string summary = text_of_message(r->value("message", Json::object()));
    const size_t before = conversation_.size();
    conversation_.compact(summary);
    (void)deps_.recorder.event(spec_.id, "context.compacted",
                               {{"summary", summary},
                                {"replacedMessages", before},
                                {"tokensBefore", estimate},
                                {"tokensAfter", conversation_.estimated_tokens()},
                                {"contextWindow", window}});
}

// ----------------------------------------------------------------- tools --

bool TaskRun::run_tools(const Json& calls, const std::vector<ToolRef>& refs) {
    if (state() == TaskState::planning && !set_state(TaskState::executing, "running tools")) return false;
    std::vector<PendingCall> pending;
    pending.reserve(calls.size());
    bool stop_task = false;
    for (const auto& call : calls) {
        pending.push_back(plan_call(call, refs, stop_task));
        if (stop_task || stopping()) break;
    }
    if (stopping()) return false;
    if (stop_task) {
        // The loop detector's reason is in the last call's result.
        fail(pending.back().result ? pending.back().result->text : "repeated tool calls");
        return false;
    }
    // Consecutive read-only calls run together; anything else runs alone.
    std::vector<PendingCall*> batch;
    for (auto& p : pending) {
        if (p.result) continue;
        if (!p.read_only && !batch.empty()) execute_batch(batch);
        batch.push_back(&p);
        if (!p.read_only) execute_batch(batch);
        if (stopping()) return false;
    }
    if (!batch.empty()) execute_batch(batch);
    if (stopping()) return false;
    std::vector<ProgressTracker::Result> observed;
    for (const auto& p : pending) {
        const std::string id = p.call.value("id", "");
        const CallResult& r = *p.result;
        conversation_.add_tool_result(id, r.text, r.is_error);
        Json payload{{"toolCallId", id}, {"tool", p.call.value("name", "")}, {"content", r.text}, {"isError", r.is_error}};
        if (!r.queued_id.empty()) payload["queuedId"] = r.queued_id;
        (void)deps_.recorder.event(spec_.id, "tool.result", payload);
        observed.push_back({r.text, r.is_error});
    }
    if (progress_.record_turn(observed)) {
        const std::string why = "no progress: " + std::to_string(progress_.stale_turns()) +
                                " tool turns in a row returned only errors or results already seen";
        (void)deps_.recorder.event(spec_.id, "guardrail", {{"kind", "no_progress"}, {"detail", why}});
        fail(why);
        return false;
    }
    return true;
}

TaskRun::PendingCall TaskRun::plan_call(const Json& call, const std::vector<ToolRef>& refs, bool& stop_task) {
    PendingCall p{call, std::nullopt, std::nullopt, false};
    const std::string tool = call.value("name", "");
    const Json args = call.value("arguments", Json::object());
    Json journaled{{"id", call.value("id", "")}, {"tool", tool}, {"arguments", args}};
    if (call.contains("argumentsError")) journaled["argumentsError"] = call["argumentsError"];
    (void)deps_.recorder.event(spec_.id, "tool.call", journaled);
    // The provider could not read the arguments (cowork.llm/1 argumentsError):
    // running the tool with {} would do something the model never asked for,
    // so the model is told instead and can send the call again. Not counted
    // by the loop detector: {} is not what it sent.
    if (auto bad = malformed_arguments(call)) {
        p.result = std::move(bad);
        return p;
    }
    switch (loops_.record(tool, args)) {
        case LoopDetector::Verdict::stop:
            stop_task = true;
            p.result = CallResult{"stopped: " + tool + " was called " + std::to_string(loops_.count(tool, args)) +
                                      " times with the same arguments (loop detected)",
                                  true};
            (void)deps_.recorder.event(spec_.id, "guardrail", {{"kind", "loop"}, {"detail", p.result->text}});
            return p;
        case LoopDetector::Verdict::warn:
            (void)deps_.recorder.event(spec_.id, "guardrail",
                                       {{"kind", "loop_warning"}, {"tool", tool}, {"count", loops_.count(tool, args)}});
            p.result = CallResult{"CoWork did not run this: " + tool + " was already called " +
                                      std::to_string(loops_.count(tool, args) - 1) +
                                      " times with exactly these arguments. Use the earlier results or try a different "
                                      "approach; repeating it again stops the task.",
                                  true};
            return p;
        case LoopDetector::Verdict::ok: break;
    }
    if (builtin::is_builtin(tool)) {
        p.result = run_builtin(call);
        return p;
    }
    auto ref = std::find_if(refs.begin(), refs.end(), [&](const ToolRef& r) { return r.id == tool; });
    if (ref == refs.end()) {
        p.result = CallResult{"there is no tool named " + tool + "; use one of the tools listed", true};
        return p;
    }
    ToolContext ctx{spec_.id, spec_.workspace, spec_.workspace_id, spec_.workspace_permissions, spec_.caller};
    auto prepared = deps_.tools.prepare(*ref, args, ctx);
    if (!prepared) {
        p.result = CallResult{prepared.error().message, true};
        return p;
    }
    p.read_only = ref->read_only();
    p.prepared = std::move(*prepared);
    if (p.prepared->decision.verdict == policy::Verdict::ask) decide_approval(p);
    return p;
}

void TaskRun::decide_approval(PendingCall& p) {
    const std::string tool = p.prepared->tool.id;
    const Json request{{"toolCallId", p.call.value("id", "")},
                       {"arguments", p.prepared->arguments},
                       {"reason", p.prepared->decision.reason},
                       {"rule", p.prepared->decision.rule_id},
                       {"workspace", spec_.workspace}};
    auto opened = deps_.approvals.open(spec_.id, tool, request, deps_.settings.approval_timeout);
    if (!opened) {
        p.result = CallResult{"CoWork could not record the approval for " + tool + ": " + opened.error().message, true};
        return;
    }
    Json announced{{"approvalId", opened->id}, {"taskId", spec_.id},          {"tool", tool},
                   {"arguments", p.prepared->arguments}, {"reason", p.prepared->decision.reason},
                   {"expiresAt", opened->expires_at.value_or(0)}};
    (void)deps_.recorder.event(spec_.id, "approval.requested", announced);
    deps_.recorder.publish("approval.requested", announced);
    const TaskState resume_to = state();
    set_state(TaskState::paused, "waiting for approval of " + tool);
    auto outcome = deps_.approvals.wait(opened->id, deps_.settings.approval_timeout, [this] { return stopping(); });
    const char* answer = outcome.answer == ApprovalAnswer::approved  ? "approved"
                         : outcome.answer == ApprovalAnswer::expired ? "expired"
                         : outcome.answer == ApprovalAnswer::stopped ? "stopped"
                                                                     : "denied";
    (void)deps_.recorder.event(spec_.id, "approval.decided",
                               {{"approvalId", opened->id}, {"decision", answer}, {"by", outcome.decided_by},
                                {"reason", outcome.reason}});
    if (outcome.answer == ApprovalAnswer::stopped) {
        (void)deps_.approvals.repo().decide(opened->id, false, "kernel", "the task was stopped").get();
        return;  // the loop unwinds
    }
    set_state(resume_to, std::string("approval ") + answer);
    if (outcome.answer == ApprovalAnswer::approved) return;
    const std::string why = outcome.reason.empty() ? "" : " (" + outcome.reason + ")";
    p.result = outcome.answer == ApprovalAnswer::expired
                   ? CallResult{"nobody approved " + tool + " within " +
                                    std::to_string(deps_.settings.approval_timeout.count() / 1000) +
                                    " s, so it was denied and did not run. Continue without it or ask the user.",
                                true}
                   : CallResult{"the user denied " + tool + why + "; it did not run. Do not repeat it; find another way "
                                "or explain what you need.",
                                true};
}

std::optional<TaskRun::CallResult> TaskRun::malformed_arguments(const Json& call) {
    auto it = call.find("argumentsError");
    if (it == call.end()) return std::nullopt;
    const std::string problem = it->is_string() ? it->get<std::string>() : it->dump();
    return CallResult{"CoWork did not run " + call.value("name", std::string("this tool")) +
                          ": its arguments were not valid JSON (" + problem +
                          "). Send the call again with the arguments as one JSON object matching the tool's schema.",
                      true};
}

TaskRun::CallResult TaskRun::run_builtin(const Json& call) {
    const std::string tool = call.value("name", "");
    const Json args = call.value("arguments", Json::object());
    if (tool == builtin::kRequestUserInput) {
        const std::string question = args.value("question", "");
        (void)deps_.recorder.event(spec_.id, "input.requested", {{"toolCallId", call.value("id", "")}, {"question", question}});
        deps_.recorder.publish("task.input_requested", {{"taskId", spec_.id}, {"question", question}});
        const TaskState resume_to = state();
        set_state(TaskState::blocked, "waiting for the user's answer");
        QueuedMessage answer;
        {
            std::unique_lock lock(mutex_);
            inbox_cv_.wait(lock, [&] { return !inbox_.empty() || stopping(); });
            if (stopping()) return {"stopped", true};
            answer = std::move(inbox_.front());
            inbox_.pop_front();
        }
        set_state(resume_to, "the user answered");
        return {"The user answered: " + answer.text, false, answer.id};
    }
    auto done = tool == builtin::kPlan ? builtin::set_plan(plan_, args) : builtin::update_step(plan_, args);
    if (!done) return {done.error().message, true};
    (void)deps_.recorder.event(spec_.id, "plan.updated", {{"plan", plan_}});
    return {*done, false};
}

void TaskRun::execute_batch(std::vector<PendingCall*>& batch) {
    auto call_id = [this](const PendingCall& p) { return spec_.id + ":" + std::to_string(turn_) + ":" + p.call.value("id", ""); };
    {
        std::lock_guard lock(mutex_);
        for (auto* p : batch) tool_calls_.emplace_back(p->prepared->tool, call_id(*p));
    }
    if (batch.size() == 1) {
        batch[0]->result = execute_one(*batch[0]->prepared, call_id(*batch[0]));
    } else {
        // Read-only calls in parallel, at most parallel_tool_limit at once; results keep their slots.
        for (size_t start = 0; start < batch.size(); start += deps_.settings.parallel_tool_limit) {
            const size_t end = std::min(batch.size(), start + deps_.settings.parallel_tool_limit);
            std::vector<std::future<CallResult>> running;
            for (size_t i = start; i < end; ++i)
                running.push_back(std::async(std::launch::async, [this, p = batch[i], id = call_id(*batch[i])] {
                    return execute_one(*p->prepared, id);
                }));
            for (size_t i = start; i < end; ++i) batch[i]->result = running[i - start].get();
        }
    }
    std::lock_guard lock(mutex_);
    tool_calls_.clear();
    batch.clear();
}

TaskRun::CallResult TaskRun::execute_one(const PreparedCall& prepared, const std::string& call_id) {
    if (stopping()) return {"stopped before it ran", true};
    CallHooks hooks;
    hooks.responder = responder_;
    auto outcome = deps_.tools.execute(prepared, call_id, hooks);
    return {std::move(outcome.text), outcome.is_error};
}

}  // namespace cowork::kernel::agent
