// kernel/scheduler/iso8601.cpp
#include "scheduler/iso8601.hpp"

#include <cctype>
#include <cstdio>

namespace cowork::kernel::scheduler {
namespace {

using namespace std::chrono;

// Reads exactly `width` digits at `pos`.
bool digits(std::string_view s, size_t& pos, size_t width, int& out) {
    if (pos + width > s.size()) return false;
    out = 0;
    for (size_t i = 0; i < width; ++i) {
        char c = s[pos + i];
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        out = out * 10 + (c - '0');
    }
    pos += width;
    return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

Result<Instant> parse_iso8601(std::string_view text) {
    auto fail = [&](const std::string& why) {
        return make_error("schedule.invalid_time", "time '" + std::string(text) + "': " + why +
                                                       " (expected e.g. 2025-03-30T01:30:00+01:00 or …Z)");
    };
    size_t pos = 0;
    int y, mo, d, h, mi, s = 0;
    if (!digits(text, pos, 4, y) || !expect(text, pos, '-') || !digits(text, pos, 2, mo) ||
        !expect(text, pos, '-') || !digits(text, pos, 2, d))
        return fail("bad date");
    if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' '))
        return fail("missing 'T' between date and time");
    ++pos;
    if (!digits(text, pos, 2, h) || !expect(text, pos, ':') || !digits(text, pos, 2, mi)) return fail("bad time");
    if (pos < text.size() && text[pos] == ':' && (++pos, !digits(text, pos, 2, s))) return fail("bad seconds");
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        size_t start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
        if (pos == start) return fail("bad fraction");
    }
    year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!date.ok()) return fail("no such date");
    if (h > 23 || mi > 59 || s > 60) return fail("time out of range");
    if (s == 60) s = 59;  // a leap second names the last second of the minute

    int offset = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int sign = text[pos++] == '-' ? -1 : 1;
        int oh, om;
        if (!digits(text, pos, 2, oh)) return fail("bad offset");
        expect(text, pos, ':');
        if (!digits(text, pos, 2, om) || oh > 23 || om > 59) return fail("bad offset");
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return fail("missing offset ('Z' or ±HH:MM)");
    }
    if (pos != text.size()) return fail("unexpected trailing text");
    return Instant(sys_days(date)) + hours(h) + minutes(mi) + seconds(s) - seconds(offset);
}

std::string format_iso8601(Instant instant) {
    auto day_start = floor<days>(instant);
    year_month_day date{day_start};
    hh_mm_ss<seconds> t{instant - day_start};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(t.hours().count()), static_cast<int>(t.minutes().count()),
                  static_cast<int>(t.seconds().count()));
    return buf;
}

}  // namespace cowork::kernel::scheduler
