#include "agent/task_history.hpp"

#include <algorithm>

namespace cowork::kernel::agent {
namespace {

void consume(std::vector<QueuedMessage>& pending, const std::string& id) {
    if (id.empty()) return;
    pending.erase(std::remove_if(pending.begin(), pending.end(), [&](const QueuedMessage& m) { return m.id == id; }),
                  pending.end());
}

}  // namespace

TaskHistory rebuild_history(const std::vector<storage::TaskEvent>& events) {
    TaskHistory h;
    for (const auto& e : events) {
        const Json& p = e.payload;
        if (e.type == "user.message") {
            h.conversation.add_user(p.value("text", ""));
            consume(h.pending_messages, p.value("queuedId", ""));
        } else if (e.type == "message.queued") {
            h.pending_messages.push_back({p.value("id", ""), p.value("text", "")});
        } else if (e.type == "assistant.message") {
            h.conversation.add_assistant(p.value("message", Json::object()));
        } else if (e.type == "tool.call") {
            // Calls with unreadable arguments never ran nor counted as repeats.
            if (!p.contains("argumentsError")) h.tool_calls.emplace_back(p.value("tool", ""), p.value("arguments", Json::object()));
        } else if (e.type == "tool.result") {
            h.conversation.add_tool_result(p.value("toolCallId", ""), p.value("content", ""), p.value("isError", false));
            consume(h.pending_messages, p.value("queuedId", ""));
        } else if (e.type == "input.answered") {  // a task message that answered a tool's question
            consume(h.pending_messages, p.value("queuedId", ""));
        } else if (e.type == "context.compacted") {
            h.conversation.compact(p.value("summary", ""));
        } else if (e.type == "llm.call") {
            if (!p.contains("error")) h.usage.add_call(p);
        } else if (e.type == "plan.updated") {
            h.plan = p.value("plan", Json(nullptr));
        } else if (e.type == "task.claimed") {
            h.runtime = p.value("runtime", "");
        }
    }
    for (const auto& call : h.conversation.unanswered_tool_calls())
        h.conversation.add_tool_result(call.value("id", ""),
                                       "CoWork stopped before " + call.value("name", std::string("this tool")) +
                                           " returned; it may or may not have run. Check before repeating it.",
                                       true);
    return h;
}

}  // namespace cowork::kernel::agent
