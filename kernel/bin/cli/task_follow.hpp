// kernel/bin/cli/task_follow.hpp — `cowork run` / `cowork task resume`:
// stream a task's journal to the terminal until it ends, answering
// approvals inline.
#pragma once

#include "bin/cli/connection.hpp"

#include <iosfwd>
#include <string>

namespace cowork::kernel::cli {

struct FollowOptions {
    bool json = false;           // --json: one document at the end {task, events}
    bool ndjson = false;         // --json --follow: one journal row per line as it happens, then {task}
    bool interactive = false;    // stdin is a terminal: ask y/N for approvals
    bool approve_all = false;    // non-interactive: approve instead of deny
    bool approve_stdin = false;  // read one y/N line per approval from stdin even when it is a pipe
};

// From here on Ctrl-C means "cancel the task" (call before creating it, so
// an early Ctrl-C is not lost).
void catch_interrupts();

// Reads the journal from where it left off each time the connection pushes
// an event (or every 200 ms), so a shed event never leaves a gap and the
// in-process kernel, which pushes none, behaves the same. Ctrl-C sends
// task.cancel to whichever kernel runs the task.
// Returns the process exit code: 0 completed, 1 anything else.
int follow_task(Connection& connection, const std::string& task_id, const FollowOptions& options, std::ostream& out,
                std::ostream& err);

}  // namespace cowork::kernel::cli
