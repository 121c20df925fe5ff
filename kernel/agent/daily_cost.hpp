// kernel/agent/daily_cost.hpp — the global per-UTC-day cost cap across tasks.
#pragma once

#include "storage/database.hpp"

#include <mutex>

namespace cowork::kernel::agent {

class DailyCost {
public:
    // Starts from what today's llm.call events already cost (a restart does not reset the cap).
    DailyCost(storage::Database& db, double cap_usd);
    // Adds `cost`; false when the cap (if any) is reached.
    bool add(double cost);
    double today() const;

private:
    static int64_t utc_day(int64_t unix_ms) { return unix_ms / 86400000; }
    double cap_;
    mutable std::mutex mutex_;
    int64_t day_;
    double spent_ = 0;
};

}  // namespace cowork::kernel::agent
