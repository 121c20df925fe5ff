// kernel/scheduler/posix_tz.cpp — parser and evaluator for POSIX TZ strings
// (POSIX.1 8.3 with the RFC 8536 extensions: hours up to 167, negative times).
#include "scheduler/posix_tz.hpp"

#include <cctype>
#include <string>

namespace cowork::kernel::scheduler {
namespace {

using namespace std::chrono;

class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}
    bool done() const { return pos_ >= text_.size(); }
    char peek() const { return done() ? '\0' : text_[pos_]; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    bool number(int& out) {
        if (!std::isdigit(static_cast<unsigned char>(peek()))) return false;
        out = 0;
        while (std::isdigit(static_cast<unsigned char>(peek()))) out = out * 10 + (text_[pos_++] - '0');
        return true;
    }
    // A zone abbreviation: letters, or anything between '<' and '>'.
    bool name() {
        if (eat('<')) {
            while (!done() && peek() != '>') ++pos_;
            return eat('>');
        }
        size_t start = pos_;
        while (std::isalpha(static_cast<unsigned char>(peek()))) ++pos_;
        return pos_ - start >= 3;
    }
    // [+-]hh[:mm[:ss]] in seconds.
    bool duration(int& seconds) {
        int sign = 1;
        if (eat('-')) sign = -1;
        else eat('+');
        int h = 0, m = 0, s = 0;
        if (!number(h) || h > 167) return false;
        if (eat(':') && (!number(m) || m > 59)) return false;
        if (eat(':') && (!number(s) || s > 59)) return false;
        seconds = sign * (h * 3600 + m * 60 + s);
        return true;
    }

private:
    std::string_view text_;
    size_t pos_ = 0;
};

}  // namespace

Result<PosixTzRule> PosixTzRule::parse(std::string_view text) {
    auto fail = [&](const char* why) {
        return make_error("tz.invalid_rule", "TZ rule '" + std::string(text) + "': " + why);
    };
    Cursor in(text);
    PosixTzRule rule;
    int west = 0;
    if (!in.name()) return fail("bad standard-time name");
    if (!in.duration(west)) return fail("bad standard offset");
    rule.std_offset_ = -west;  // POSIX counts hours west of Greenwich
    if (in.done()) return rule;

    Dst dst;
    if (!in.name()) return fail("bad daylight-time name");
    dst.offset = rule.std_offset_ + 3600;
    if (in.peek() != ',' && !in.done()) {
        if (!in.duration(west)) return fail("bad daylight offset");
        dst.offset = -west;
    }
    auto day_rule = [&](DayRule& r) {
        if (in.eat('M')) {
            r.kind = DayRule::Kind::MonthWeekDay;
            if (!in.number(r.month) || r.month < 1 || r.month > 12 || !in.eat('.')) return false;
            if (!in.number(r.week) || r.week < 1 || r.week > 5 || !in.eat('.')) return false;
            if (!in.number(r.day) || r.day > 6) return false;
        } else if (in.eat('J')) {
            r.kind = DayRule::Kind::JulianNoLeap;
            if (!in.number(r.day) || r.day < 1 || r.day > 365) return false;
        } else {
            r.kind = DayRule::Kind::ZeroBased;
            if (!in.number(r.day) || r.day > 365) return false;
        }
        r.time = 7200;
        return !in.eat('/') || in.duration(r.time);
    };
    // Without rules (rare) POSIX leaves it to the implementation; US rules are the usual default.
    dst.start = DayRule{DayRule::Kind::MonthWeekDay, 0, 3, 2, 7200};
    dst.end = DayRule{DayRule::Kind::MonthWeekDay, 0, 11, 1, 7200};
    if (in.eat(',')) {
        if (!day_rule(dst.start)) return fail("bad DST start rule");
        if (!in.eat(',') || !day_rule(dst.end)) return fail("bad DST end rule");
    }
    if (!in.done()) return fail("unexpected trailing text");
    rule.dst_ = dst;
    return rule;
}

// Midnight (as if UTC) of the local day the rule names in `year`.
sys_seconds PosixTzRule::local_midnight(const DayRule& rule, int y) {
    const year yr{y};
    switch (rule.kind) {
        case DayRule::Kind::JulianNoLeap: {
            // Day 1-365, February 29 never counted: day 60 is always March 1.
            sys_days d = sys_days(yr / January / 1) + days(rule.day - 1);
            if (yr.is_leap() && rule.day >= 60) d += days(1);
            return sys_seconds(d);
        }
        case DayRule::Kind::ZeroBased:
            return sys_seconds(sys_days(yr / January / 1) + days(rule.day));
        case DayRule::Kind::MonthWeekDay: {
            const weekday wd{static_cast<unsigned>(rule.day)};
            const month m{static_cast<unsigned>(rule.month)};
            if (rule.week == 5) return sys_seconds(sys_days(yr / m / wd[last]));
            return sys_seconds(sys_days(yr / m / wd[static_cast<unsigned>(rule.week)]));
        }
    }
    return {};
}

Instant PosixTzRule::change_instant(const DayRule& rule, int year, int offset_before) const {
    // The rule's time is local wall time under the offset in force before the change.
    return local_midnight(rule, year) + seconds(rule.time - offset_before);
}

int PosixTzRule::offset_at(Instant instant) const {
    if (!dst_) return std_offset_;
    const int y = static_cast<int>(year_month_day(floor<days>(instant + seconds(std_offset_))).year());
    Instant start = change_instant(dst_->start, y, std_offset_);
    Instant end = change_instant(dst_->end, y, dst_->offset);
    bool in_dst = start < end ? (instant >= start && instant < end)    // northern hemisphere
                              : (instant >= start || instant < end);   // southern: DST spans new year
    return in_dst ? dst_->offset : std_offset_;
}

}  // namespace cowork::kernel::scheduler
