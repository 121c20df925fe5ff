// kernel/outbox/retry_backoff.cpp
#include "outbox/retry_backoff.hpp"

#include <algorithm>
#include <random>

namespace cowork::kernel::outbox {

std::chrono::milliseconds retry_delay(int failed_attempts, std::chrono::milliseconds jitter) {
    using namespace std::chrono;
    constexpr milliseconds kBase = seconds(5);
    constexpr milliseconds kCap = minutes(5);
    // 5 s doubles past the cap by the 7th step; clamp the exponent so the
    // shift can never overflow whatever attempts count reaches us.
    const int exponent = std::clamp(failed_attempts - 1, 0, 16);
    const milliseconds delay = std::min(kBase * (int64_t{1} << exponent), kCap);
    return delay + std::clamp(jitter, milliseconds(0), milliseconds(1000));
}

std::chrono::milliseconds random_jitter() {
    thread_local std::mt19937 rng{std::random_device{}()};
    return std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1000)(rng));
}

}  // namespace cowork::kernel::outbox
