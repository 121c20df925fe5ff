// kernel/scheduler/jitter.cpp
#include "scheduler/jitter.hpp"

#include <cstdint>

namespace cowork::kernel::scheduler {

std::chrono::seconds jitter_offset(std::string_view job_id, std::chrono::seconds jitter) {
    if (jitter.count() <= 0) return std::chrono::seconds(0);
    uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : job_id) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    hash ^= hash >> 29;  // FNV's low bits mix poorly; fold the high ones in
    return std::chrono::seconds(static_cast<int64_t>(hash % static_cast<uint64_t>(jitter.count() + 1)));
}

}  // namespace cowork::kernel::scheduler
