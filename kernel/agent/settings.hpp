// kernel/agent/settings.hpp — what the runtime needs from [agent] in cowork.toml.
#pragma once

#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace cowork::kernel::agent {

// Per-task limits; 0 means "no limit". A task's own budget may only lower them.
struct Budget {
    int64_t max_iterations = 50;
    int64_t max_tokens = 2000000;
    double max_cost_usd = 5.0;
    int64_t max_wall_time_s = 3600;

    Json to_json() const;
    // The tighter of this and the request's {maxIterations, maxTokens, maxCostUsd, maxWallTimeS}.
    Budget narrowed_by(const Json& request) const;
};

struct Settings {
    int max_concurrent_tasks = 8;
    std::string default_provider;
    std::string default_model;
    std::vector<std::string> fallback;  // "plugin id:model"
    std::chrono::milliseconds approval_timeout{300000};
    Budget budget;
    double daily_cost_cap_usd = 0;
    size_t tool_output_cap_bytes = 32768;
    int64_t context_window = 128000;
    int64_t max_output_tokens = 4096;         // per LLM call
    double compaction_threshold = 0.85;       // of the context window
    int loop_warn_after = 3;                  // same tool + same args: warn the model …
    int loop_fail_after = 5;                  // … then stop the task
    int no_progress_turns = 4;                // turns of only errors / repeated results
    std::chrono::milliseconds delta_flush{200};  // text deltas coalesced per journal row
    size_t delta_flush_bytes = 2048;
    size_t parallel_tool_limit = 8;
};

}  // namespace cowork::kernel::agent
