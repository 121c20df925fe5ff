// kernel/agent/task_state.hpp — the task lifecycle and its legal transitions.
//
//   pending → queued → planning → executing ⇄ paused (approval) | blocked (user input)
//   … → completed | failed | cancelled (terminal) | interrupted (resumable → queued)
#pragma once

#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cowork::kernel::agent {

enum class TaskState { pending, queued, planning, executing, paused, blocked, completed, failed, cancelled, interrupted };

std::string_view to_string(TaskState state);
std::optional<TaskState> parse_task_state(std::string_view text);

bool is_terminal(TaskState state);  // completed, failed, cancelled
// A task in one of these states is owned by a live runtime (or was, until a crash).
bool is_active(TaskState state);    // queued … blocked

bool can_transition(TaskState from, TaskState to);

// Ok, or "task.bad_transition" naming both states.
Status check_transition(TaskState from, TaskState to);

}  // namespace cowork::kernel::agent
