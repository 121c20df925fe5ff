// kernel/agent/task_history.hpp — a task's state rebuilt from its journal,
// so `task.resume` continues where the last run stopped (crash included).
#pragma once

#include "agent/conversation.hpp"
#include "agent/guardrails.hpp"
#include "storage/task_event_journal.hpp"

#include <string>
#include <utility>
#include <vector>

namespace cowork::kernel::agent {

struct QueuedMessage {
    std::string id;
    std::string text;
};

struct TaskHistory {
    Conversation conversation;
    Usage usage;
    Json plan = nullptr;
    std::vector<QueuedMessage> pending_messages;  // queued, not yet read by the model
    std::vector<std::pair<std::string, Json>> tool_calls;  // (tool, arguments) for loop detection
    std::string runtime;  // the last runtime that claimed it
};

// Replays user.message, message.queued, assistant.message, tool.result,
// context.compacted, llm.call, plan.updated, task.claimed. Tool calls the
// last run started but never answered get an error result saying so: the
// model decides whether to repeat them.
TaskHistory rebuild_history(const std::vector<storage::TaskEvent>& events);

}  // namespace cowork::kernel::agent
