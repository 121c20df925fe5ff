// Helpers for scheduler tests: instants from text, polling with a deadline.
#pragma once

#include "scheduler/iso8601.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace cowork::kernel::scheduler::test {

inline Instant at(const char* iso) {
    auto parsed = parse_iso8601(iso);
    EXPECT_TRUE(parsed.ok()) << iso;
    return parsed.ok() ? *parsed : Instant{};
}

template <class Predicate>
bool wait_for(Predicate&& done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

}  // namespace cowork::kernel::scheduler::test
