// kernel/bin/cli/completion.hpp — shell completion scripts generated from the
// command table, so a new command completes without touching a script.
#pragma once

#include "bin/cli/args.hpp"

#include <string>
#include <vector>

namespace cowork::kernel::cli {

struct CompletionEntry {
    std::string path;     // "plugins list"
    std::string summary;  // one line
};

// "bash", "zsh" or "fish"; an empty string for any other shell.
std::string completion_script(const std::string& shell, const std::vector<CompletionEntry>& commands,
                              const std::vector<OptionSpec>& options);

}  // namespace cowork::kernel::cli
