// kernel/scheduler/schedule.cpp
#include "scheduler/schedule.hpp"

#include "scheduler/iso8601.hpp"

#include <cctype>

namespace cowork::kernel::scheduler {
namespace {

using namespace std::chrono;

// Longest plausible distance between two readings of the same wall-clock
// time (a fall-back fold); we look this far back and past the best candidate.
constexpr seconds kMaxFold = hours(3);
// Cron candidates are searched at most this far ahead; patterns such as
// "0 0 31 2 *" never match and must not spin forever.
constexpr days kCronHorizon = days(366 * 8);

std::optional<Instant> next_at(const AtSchedule& at, Instant after) {
    if (at.when > after) return at.when;
    return std::nullopt;
}

std::optional<Instant> next_every(const EverySchedule& every, Instant after) {
    const auto step = every.interval.count();
    const auto since = (after - every.anchor).count();
    auto whole_steps = since / step;
    if (since < 0 && since % step != 0) --whole_steps;  // floor, so future anchors work too
    return every.anchor + seconds((whole_steps + 1) * step);
}

// The instant a matching local reading `local` stands for, after `after`.
std::optional<Instant> occurrence(const CronSchedule& cron, LocalTime local, Instant after) {
    LocalResolution r = cron.zone->resolve(local);
    if (r.first > after) return r.first;
    // Only interval-like jobs also run at the second reading of a fold.
    if (r.kind == LocalResolution::Kind::Ambiguous && cron.expr.hour_is_wildcard() && r.second > after)
        return r.second;
    return std::nullopt;
}

std::optional<Instant> next_cron(const CronSchedule& cron, Instant after) {
    // Wall-clock readings do not map monotonically to instants around a
    // fold, so scan local time from a little before `after`'s reading and
    // keep the earliest instant, stopping once no later reading can beat it.
    const LocalTime start = floor<minutes>(cron.zone->to_local(after) - kMaxFold);
    std::optional<Instant> best;
    std::optional<LocalTime> best_local;
    const local_days first_day = floor<days>(start);
    for (local_days day = first_day; day < first_day + kCronHorizon; day += days(1)) {
        if (best_local && LocalTime(day) > *best_local + kMaxFold) break;
        if (!cron.expr.day_matches(year_month_day(sys_days(day.time_since_epoch())))) continue;
        for (int h = 0; h < 24; ++h) {
            if (!cron.expr.hour_matches(h)) continue;
            for (int m = 0; m < 60; ++m) {
                if (!cron.expr.minute_matches(m)) continue;
                LocalTime local = day + hours(h) + minutes(m);
                if (local < start) continue;
                if (best_local && local > *best_local + kMaxFold) return best;
                auto when = occurrence(cron, local, after);
                if (when && (!best || *when < *best)) {
                    best = when;
                    best_local = local;
                }
            }
        }
    }
    return best;
}

}  // namespace

Json ScheduleSpec::to_json() const {
    Json j{{"kind", kind}, {"expr", expr}};
    if (!tz.empty()) j["tz"] = tz;
    if (!anchor.empty()) j["anchor"] = anchor;
    return j;
}

Result<seconds> parse_interval(std::string_view text) {
    auto fail = [&](const std::string& why) {
        return make_error("schedule.invalid_interval",
                          "interval '" + std::string(text) + "': " + why + " (expected e.g. 90s, 15m, 1h30m, 1d)");
    };
    if (text.empty()) return fail("is empty");
    int64_t total = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        int64_t n = 0;
        size_t start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            n = n * 10 + (text[pos++] - '0');
            if (n > 1'000'000'000) return fail("is too large");
        }
        if (pos == start) return fail("expected a number");
        if (pos == text.size()) return fail("missing unit after " + std::to_string(n));
        switch (text[pos++]) {
            case 'd': total += n * 86400; break;
            case 'h': total += n * 3600; break;
            case 'm': total += n * 60; break;
            case 's': total += n; break;
            default: return fail(std::string("unknown unit '") + text[pos - 1] + "'");
        }
    }
    if (total < 1) return fail("must be at least 1s");
    return seconds(total);
}

Result<Schedule> parse_schedule(const ScheduleSpec& spec) {
    if (spec.kind == "at") {
        auto when = parse_iso8601(spec.expr);
        if (!when) return when.error();
        return Schedule(AtSchedule{*when});
    }
    if (spec.kind == "every") {
        auto interval = parse_interval(spec.expr);
        if (!interval) return interval.error();
        Instant anchor{};
        if (!spec.anchor.empty()) {
            auto parsed = parse_iso8601(spec.anchor);
            if (!parsed) return parsed.error();
            anchor = *parsed;
        }
        return Schedule(EverySchedule{*interval, anchor});
    }
    if (spec.kind == "cron") {
        auto expr = CronExpr::parse(spec.expr);
        if (!expr) return expr.error();
        auto zone = TimeZone::load(spec.tz.empty() ? "UTC" : spec.tz);
        if (!zone) return zone.error();
        return Schedule(CronSchedule{std::move(expr.value()), std::move(zone.value())});
    }
    return make_error("schedule.invalid_kind",
                      "schedule kind '" + spec.kind + "' is not one of \"at\", \"every\", \"cron\"");
}

std::optional<Instant> next_after(const Schedule& schedule, Instant after) {
    struct Visitor {
        Instant after;
        std::optional<Instant> operator()(const AtSchedule& s) const { return next_at(s, after); }
        std::optional<Instant> operator()(const EverySchedule& s) const { return next_every(s, after); }
        std::optional<Instant> operator()(const CronSchedule& s) const { return next_cron(s, after); }
    };
    return std::visit(Visitor{after}, schedule);
}

}  // namespace cowork::kernel::scheduler
