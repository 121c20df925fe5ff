// kernel/storage/ids.hpp — identifiers for rows the kernel creates.
#pragma once

#include <string>

namespace cowork::kernel::storage {

// A random 128-bit id as 32 lowercase hex digits, optionally prefixed
// ("task_…"). Random rather than sequential so several kernels sharing one
// database (ARCHITECTURE §8) never hand out the same id.
std::string new_id(const std::string& prefix = "");

}  // namespace cowork::kernel::storage
