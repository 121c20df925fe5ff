// kernel/config/problem.hpp — one thing wrong (or suspicious) in the config.
#pragma once

#include "core/result.hpp"

#include <string>
#include <vector>

namespace cowork::kernel::config {

enum class Severity { warning, error };

struct Problem {
    Severity severity = Severity::error;
    std::string file;     // the config path, or "env COWORK_X__Y" for overrides
    uint32_t line = 0;    // 1-based; 0 when there is no position (environment)
    uint32_t column = 0;
    std::string message;  // what is wrong and what is expected

    // "cowork.toml:12:7: error: kernel.port must be an integer ..."
    std::string to_string() const;
    Json to_json() const;
};

bool has_errors(const std::vector<Problem>& problems);

// "config.invalid" with every problem in the message (one per line) and in details.problems.
Error problems_error(const std::vector<Problem>& problems);

}  // namespace cowork::kernel::config
