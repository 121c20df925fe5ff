// kernel/agent/interface_finder.hpp — how the agent finds plugin interface
// tables without depending on the plugin manager (tests pass fakes).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace cowork::kernel::agent {

// (plugin id, interface table) of every Running plugin providing `iface_id`.
using InterfaceFinder = std::function<std::vector<std::pair<std::string, const void*>>(const std::string& iface_id)>;

}  // namespace cowork::kernel::agent
