// kernel/storage/kernel_schema.hpp — the kernel's own tables (component "kernel").
//
// Append new versions at the end of kernel_schema.cpp; never edit one that
// has shipped (see the rule in migrations.hpp). All timestamps are Unix
// milliseconds (clock.hpp); columns named "JSON" hold serialized JSON text.
#pragma once

#include "storage/migrations.hpp"

namespace cowork::kernel::storage {

inline constexpr const char* kKernelComponent = "kernel";

MigrationSet kernel_migrations();

// Tables no plugin may touch, whatever its prefix rules say (the
// PluginStore authorizer also refuses anything not "p_<id>_" prefixed).
bool is_kernel_table(const std::string& name);

}  // namespace cowork::kernel::storage
