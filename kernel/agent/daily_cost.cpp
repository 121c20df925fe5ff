#include "agent/daily_cost.hpp"

#include "storage/clock.hpp"
#include "storage/sqlite.hpp"

namespace cowork::kernel::agent {

DailyCost::DailyCost(storage::Database& db, double cap_usd) : cap_(cap_usd), day_(utc_day(storage::now_ms())) {
    const int64_t since = day_ * 86400000;
    auto sum = db.read<double>([since](sqlite3* c) -> Result<double> {
        auto row = storage::query_one(c,
                                      "SELECT COALESCE(SUM(json_extract(payload, '$.costUsd')), 0) AS s FROM task_events"
                                      " WHERE type = 'llm.call' AND ts >= ?",
                                      Json::array({since}));
        if (!row) return std::move(row).error();
        return row->is_object() && (*row)["s"].is_number() ? (*row)["s"].get<double>() : 0.0;
    });
    if (sum) spent_ = *sum;
}

bool DailyCost::add(double cost) {
    std::lock_guard lock(mutex_);
    const int64_t now = utc_day(storage::now_ms());
    if (now != day_) day_ = now, spent_ = 0;
    spent_ += cost;
    return cap_ <= 0 || spent_ < cap_;
}

double DailyCost::today() const {
    std::lock_guard lock(mutex_);
    return spent_;
}

}  // namespace cowork::kernel::agent
