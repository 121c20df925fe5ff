// kernel/scheduler/cron_expr.hpp — standard 5-field cron expressions.
//
//   minute hour day-of-month month day-of-week
// Each field: '*', a value, a range "a-b", a list "a,b-c", a step "*/n",
// "a-b/n" or "a/n" (a to the field's maximum). Months JAN-DEC and weekdays
// SUN-SAT by name (any case); weekday 7 is Sunday too. Aliases: @hourly,
// @daily (@midnight), @weekly, @monthly, @yearly (@annually).
// Day-of-month and day-of-week as in Vixie cron: when both are restricted a
// day matches if EITHER matches; a field counts as unrestricted when it
// starts with '*' (so "*/2" is unrestricted for this rule, as in Vixie).
#pragma once

#include "core/result.hpp"

#include <bitset>
#include <chrono>
#include <string>
#include <string_view>

namespace cowork::kernel::scheduler {

class CronExpr {
public:
    // Errors (schedule.invalid_cron) name the field:
    //   "cron field 2 (hour): 25 out of range 0-23"
    static Result<CronExpr> parse(std::string_view text);

    bool minute_matches(int minute) const { return minutes_.test(static_cast<size_t>(minute)); }
    bool hour_matches(int hour) const { return hours_.test(static_cast<size_t>(hour)); }
    bool day_matches(std::chrono::year_month_day date) const;
    // '*' hour: the job is interval-like, not tied to a wall-clock hour.
    bool hour_is_wildcard() const { return hour_star_; }
    const std::string& text() const { return text_; }

private:
    std::string text_;
    std::bitset<60> minutes_;
    std::bitset<24> hours_;
    std::bitset<32> days_of_month_;  // 1-31
    std::bitset<13> months_;         // 1-12
    std::bitset<7> days_of_week_;    // 0 = Sunday
    bool dom_star_ = false;
    bool dow_star_ = false;
    bool hour_star_ = false;
};

}  // namespace cowork::kernel::scheduler
