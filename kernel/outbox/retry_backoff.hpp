// kernel/outbox/retry_backoff.hpp — when a failed delivery is tried again.
#pragma once

#include <chrono>

namespace cowork::kernel::outbox {

// A delivery that failed this many times is dead-lettered.
inline constexpr int kMaxAttempts = 6;

// Delay before the next attempt after `failed_attempts` (>= 1) failures:
// 5 s × 2^(n-1), capped at 5 min, plus `jitter` (the caller draws it from
// [0, 1 s]) so many deliveries failing together do not retry in lockstep.
std::chrono::milliseconds retry_delay(int failed_attempts, std::chrono::milliseconds jitter);

// A uniformly random jitter in [0, 1000] ms.
std::chrono::milliseconds random_jitter();

}  // namespace cowork::kernel::outbox
