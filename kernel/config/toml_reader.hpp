// kernel/config/toml_reader.hpp — internal: TOML text → Config + problems.
#pragma once

#include "config/config.hpp"
#include "config/problem.hpp"

#include <string>
#include <vector>

namespace cowork::kernel::config::detail {

// Fills `config` from the text; appends every problem found. Never throws.
void read_toml(const std::string& text, const std::string& source_name, Config& config, std::vector<Problem>& problems);

}  // namespace cowork::kernel::config::detail
