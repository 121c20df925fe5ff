// kernel/plugins/backoff.hpp — when to restart a crashed plugin, and when to
// stop trying.
//
// Exponential backoff with jitter: initial, ×multiplier per failure still in
// the window, capped; each delay spread ±jitter so many plugins crashing on
// the same cause do not restart in lockstep. More than max_restarts failures
// within `window` means give up (the manager leaves the plugin Failed).
// Pure: the caller passes the time, the random source is seeded — testable.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <random>

namespace cowork::kernel::plugins {

class BackoffPolicy {
public:
    using Clock = std::chrono::steady_clock;
    using Millis = std::chrono::milliseconds;

    struct Options {
        Millis initial{500};
        Millis max{30'000};
        double multiplier = 2.0;
        double jitter = 0.2;         // fraction, 0 = none
        unsigned max_restarts = 5;   // within `window`
        Millis window{10 * 60'000};
    };

    BackoffPolicy() : BackoffPolicy(Options{}) {}
    explicit BackoffPolicy(Options options, uint64_t seed = std::random_device{}());

    // Records a failure at `now`. The delay before the next attempt, or
    // nullopt when the plugin failed too often and should stay down.
    std::optional<Millis> on_failure(Clock::time_point now);

    // Forget the history (e.g. the plugin ran fine for a long while).
    void reset() { failures_.clear(); }

    // The delay before jitter for the n-th failure in the window (n ≥ 1).
    Millis base_delay(unsigned n) const;

    const Options& options() const noexcept { return options_; }

private:
    Options options_;
    std::deque<Clock::time_point> failures_;
    std::mt19937_64 random_;
};

}  // namespace cowork::kernel::plugins
