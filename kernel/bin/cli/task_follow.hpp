// kernel/bin/cli/task_follow.hpp — `cowork run` / `cowork task resume`:
// stream a task's journal to the terminal until it ends, answering
// approvals inline.
#pragma once

#include "core/result.hpp"

#include <functional>
#include <iosfwd>
#include <string>

namespace cowork::kernel::cli {

using ApiCall = std::function<Result<Json>(const std::string& method, const Json& params)>;

struct FollowOptions {
    bool json = false;           // one JSON event per line instead of text
    bool interactive = false;    // stdin is a terminal: ask y/N for approvals
    bool approve_all = false;    // non-interactive: approve instead of deny
    bool approve_stdin = false;  // read one y/N line per approval from stdin even when it is a pipe
};

// Returns the process exit code: 0 completed, 1 anything else.
int follow_task(const ApiCall& call, const std::string& task_id, const FollowOptions& options, std::ostream& out,
                std::ostream& err);

}  // namespace cowork::kernel::cli
