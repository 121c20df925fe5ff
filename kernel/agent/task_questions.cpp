// Questions a running tool puts to the agent task that called it
// (tool.request): sampling goes to the task's own model — counted in its
// usage, budget and journal like any LLM call — and elicitation goes to the
// task's person, who answers with a task message while the task is blocked.
#include "agent/elicitation_answer.hpp"
#include "agent/task_run.hpp"

#include "agent/conversation.hpp"

#include <algorithm>

namespace cowork::kernel::agent {
namespace {

class TaskResponder final : public Responder {
public:
    explicit TaskResponder(TaskRun& run) : run_(run) {}
    Result<Json> ask(const ToolQuestion& q, const std::atomic<bool>& cancelled) override {
        if (cancelled) return make_error("CANCELLED", "the tool call was cancelled");
        if (q.kind == kQuestionSampling) return run_.sample(q.params);
        return run_.elicit(q.params, q.timeout);
    }

private:
    TaskRun& run_;  // outlives every call it makes
};

// MCP sampling content (one part or an array of parts) as the text parts of
// a cowork.llm/1 message; other part types are refused by name.
Result<Json> text_parts(const Json& content) {
    const Json parts = content.is_array() ? content : Json::array({content});
    Json out = Json::array();
    for (const auto& p : parts) {
        const std::string type = p.is_object() ? p.value("type", "") : "";
        if (type != "text")
            return make_error("UNSUPPORTED", "sampling with \"" + type + "\" content is not supported by CoWork's agent (text only)");
        out.push_back({{"type", "text"}, {"text", p.value("text", "")}});
    }
    return out;
}

// The MCP stopReason for a cowork.llm/1 one.
std::string mcp_stop_reason(const std::string& reason) {
    if (reason == "max_tokens" || reason == "length") return "maxTokens";
    if (reason == "stop_sequence") return "stopSequence";
    return "endTurn";
}

}  // namespace

std::shared_ptr<Responder> task_responder(TaskRun& run) { return std::make_shared<TaskResponder>(run); }

Result<Json> TaskRun::sample(const Json& params) {
    Json messages = Json::array();
    for (const auto& m : params.value("messages", Json::array())) {
        auto parts = text_parts(m.value("content", Json::object()));
        if (!parts) return parts.error();
        messages.push_back({{"role", m.value("role", "user") == "assistant" ? "assistant" : "user"}, {"content", *parts}});
    }
    if (messages.empty()) return make_error("INVALID_PARAMS", "sampling needs at least one message");
    const int64_t asked = params.value("maxTokens", deps_.settings.max_output_tokens);
    Json request{{"model", model_.model},
                 {"system", params.value("systemPrompt", "")},
                 {"messages", messages},
                 {"maxTokens", std::clamp<int64_t>(asked, 1, static_cast<int64_t>(deps_.settings.max_output_tokens))},
                 {"stream", false}};
    std::lock_guard one_at_a_time(questions_mutex_);
    auto r = call_llm(std::move(request), "sampling");
    if (!r) return make_error("METHOD_FAILED", "the task's model could not answer: " + r.error().message);
    return Json{{"role", "assistant"},
                {"content", {{"type", "text"}, {"text", text_of_message(r->value("message", Json::object()))}}},
                {"model", r->value("model", model_.model)},
                {"stopReason", mcp_stop_reason(r->value("stopReason", ""))}};
}

Result<Json> TaskRun::elicit(const Json& params, std::chrono::milliseconds timeout) {
    std::lock_guard one_at_a_time(questions_mutex_);
    const Json schema = params.value("requestedSchema", Json::object());
    const std::string question = elicitation_question(params.value("message", ""), schema);
    (void)deps_.recorder.event(spec_.id, "input.requested", {{"kind", "elicitation"}, {"question", question}, {"form", schema}});
    deps_.recorder.publish("task.input_requested", {{"taskId", spec_.id}, {"question", question}, {"form", schema}});
    const TaskState resume_to = state();
    (void)set_state(TaskState::blocked, "waiting for the user's answer to a tool's question");
    std::optional<QueuedMessage> answer;
    {
        std::unique_lock lock(mutex_);
        inbox_cv_.wait_for(lock, timeout, [&] { return !inbox_.empty() || stopping(); });
        if (!inbox_.empty() && !stopping()) {
            answer = std::move(inbox_.front());
            inbox_.pop_front();
        }
    }
    if (!answer) {
        if (!stopping()) (void)set_state(resume_to, "nobody answered the tool's question in time");
        return make_error(stopping() ? "CANCELLED" : "TIMEOUT",
                          stopping() ? "the task was stopped while a tool waited for an answer" : "the user did not answer in time");
    }
    (void)set_state(resume_to, "the user answered the tool's question");
    (void)deps_.recorder.event(spec_.id, "input.answered", {{"kind", "elicitation"}, {"queuedId", answer->id}});
    auto result = elicitation_answer(answer->text, schema);
    if (!result) return make_error("METHOD_FAILED", "the user's answer did not fit the form: " + result.error().message);
    return result;
}

}  // namespace cowork::kernel::agent
