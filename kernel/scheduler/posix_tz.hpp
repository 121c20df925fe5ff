// kernel/scheduler/posix_tz.hpp — the POSIX TZ rule in a TZif footer
// ("CET-1CEST,M3.5.0,M10.5.0/3"), used for instants past the last transition.
#pragma once

#include "core/result.hpp"
#include "scheduler/instant.hpp"

#include <optional>
#include <string_view>

namespace cowork::kernel::scheduler {

class PosixTzRule {
public:
    static Result<PosixTzRule> parse(std::string_view text);

    // UTC offset in seconds (east positive) in effect at `instant`.
    int offset_at(Instant instant) const;

private:
    // When a change happens: a day rule plus seconds after local midnight
    // (may be negative or beyond 24h, as RFC 8536 allows).
    struct DayRule {
        enum class Kind { JulianNoLeap, ZeroBased, MonthWeekDay } kind = Kind::MonthWeekDay;
        int day = 0;  // Jn: 1-365, n: 0-365, M: weekday 0-6
        int month = 0;
        int week = 0;  // 1-5, 5 = last
        int time = 7200;
    };
    struct Dst {
        int offset = 0;  // east positive
        DayRule start;
        DayRule end;
    };

    static std::chrono::sys_seconds local_midnight(const DayRule& rule, int year);
    Instant change_instant(const DayRule& rule, int year, int offset_before) const;

    int std_offset_ = 0;  // east positive
    std::optional<Dst> dst_;
};

}  // namespace cowork::kernel::scheduler
