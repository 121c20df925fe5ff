// kernel/config/env_overrides.hpp — internal: COWORK_<SECTION>__<KEY> (see load.hpp).
#pragma once

#include "config/config.hpp"
#include "config/problem.hpp"

#include <map>
#include <string>
#include <vector>

namespace cowork::kernel::config::detail {

void apply_env_overrides(const std::map<std::string, std::string>& env, Config& config, std::vector<Problem>& problems);

}  // namespace cowork::kernel::config::detail
