#include "plugins/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace cowork::kernel::plugins {

BackoffPolicy::BackoffPolicy(Options options, uint64_t seed) : options_(options), random_(seed) {}

BackoffPolicy::Millis BackoffPolicy::base_delay(unsigned n) const {
    const double factor = std::pow(options_.multiplier, n > 0 ? n - 1 : 0);
    const double ms = std::min(static_cast<double>(options_.initial.count()) * factor,
                               static_cast<double>(options_.max.count()));
    return Millis(static_cast<int64_t>(ms));
}

std::optional<BackoffPolicy::Millis> BackoffPolicy::on_failure(Clock::time_point now) {
    while (!failures_.empty() && now - failures_.front() > options_.window) failures_.pop_front();
    failures_.push_back(now);
    if (failures_.size() > options_.max_restarts) return std::nullopt;
    const double base = static_cast<double>(base_delay(static_cast<unsigned>(failures_.size())).count());
    std::uniform_real_distribution<double> spread(1.0 - options_.jitter, 1.0 + options_.jitter);
    const double jittered = options_.jitter > 0 ? base * spread(random_) : base;
    return Millis(static_cast<int64_t>(std::clamp(jittered, 0.0, static_cast<double>(options_.max.count()))));
}

}  // namespace cowork::kernel::plugins
