// kernel/scheduler/instant.hpp — the scheduler's notion of time: whole UTC seconds.
#pragma once

#include <chrono>

namespace cowork::kernel::scheduler {

using Instant = std::chrono::sys_seconds;       // a UTC instant
using LocalTime = std::chrono::local_seconds;   // a wall-clock reading in some zone

}  // namespace cowork::kernel::scheduler
