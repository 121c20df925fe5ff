#include "agent/task_state.hpp"

#include <array>
#include <initializer_list>

namespace cowork::kernel::agent {
namespace {

constexpr std::array<std::string_view, 10> kNames{"pending",   "queued",    "planning", "executing", "paused",
                                                  "blocked",   "completed", "failed",   "cancelled", "interrupted"};

bool one_of(TaskState s, std::initializer_list<TaskState> set) {
    for (auto x : set)
        if (x == s) return true;
    return false;
}

}  // namespace

std::string_view to_string(TaskState state) { return kNames[static_cast<size_t>(state)]; }

std::optional<TaskState> parse_task_state(std::string_view text) {
    for (size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i] == text) return static_cast<TaskState>(i);
    return std::nullopt;
}

bool is_terminal(TaskState s) { return one_of(s, {TaskState::completed, TaskState::failed, TaskState::cancelled}); }

bool is_active(TaskState s) {
    return one_of(s, {TaskState::queued, TaskState::planning, TaskState::executing, TaskState::paused, TaskState::blocked});
}

bool can_transition(TaskState from, TaskState to) {
    using S = TaskState;
    if (is_terminal(from)) return false;
    // Anything not finished may fail or be cancelled.
    if (to == S::failed || to == S::cancelled) return true;
    switch (from) {
        case S::pending: return to == S::queued;
        case S::queued: return to == S::planning || to == S::interrupted;
        case S::planning:
        case S::executing:
            return one_of(to, {S::planning, S::executing, S::paused, S::blocked, S::completed, S::interrupted});
        case S::paused:
        case S::blocked: return one_of(to, {S::planning, S::executing, S::interrupted});
        case S::interrupted: return to == S::queued;
        default: return false;
    }
}

Status check_transition(TaskState from, TaskState to) {
    if (can_transition(from, to)) return ok_status();
    return make_error("task.bad_transition", "a task cannot go from " + std::string(to_string(from)) + " to " +
                                                 std::string(to_string(to)));
}

}  // namespace cowork::kernel::agent
