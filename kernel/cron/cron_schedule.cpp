// kernel/cron/cron_schedule.cpp
#include "cron/cron_schedule.hpp"

#include "api/api.hpp"
#include "cron/local_zone.hpp"
#include "scheduler/iso8601.hpp"
#include "scheduler/time_zone.hpp"

namespace cowork::kernel::cron {
namespace {

using scheduler::Instant;

// A time given as ISO-8601 text (with offset) or Unix milliseconds.
Result<Instant> instant_field(const Json& v, const std::string& field) {
    if (v.is_number_integer()) {
        const int64_t ms = v.get<int64_t>();
        if (ms <= 0) return field_error(field, "must be a positive Unix time in milliseconds");
        return Instant(std::chrono::seconds(ms / 1000));
    }
    if (v.is_string()) {
        auto parsed = scheduler::parse_iso8601(v.get<std::string>());
        if (!parsed) return field_error(field, parsed.error().message);
        return *parsed;
    }
    return field_error(field, "must be an ISO-8601 time with offset (\"2026-03-01T09:00:00+01:00\") or Unix ms");
}

Result<std::string> zone_field(const Json& schedule) {
    if (!schedule.contains("tz") || schedule["tz"].is_null()) return local_zone_name();
    if (!schedule["tz"].is_string()) return field_error("schedule.tz", "must be an IANA zone name such as \"Europe/Berlin\"");
    const std::string tz = schedule["tz"].get<std::string>();
    if (auto zone = scheduler::TimeZone::load(tz); !zone)
        return field_error("schedule.tz", zone.error().message + " (use an IANA name such as \"Europe/Berlin\" or \"UTC\")");
    return tz;
}

Status parse_at(const Json& s, std::optional<Instant> now, CronSchedule& out) {
    if (!s.contains("at")) return field_error("schedule.at", "is required for kind \"at\"");
    auto when = instant_field(s["at"], "schedule.at");
    if (!when) return when.error();
    if (now && *when <= *now)
        return field_error("schedule.at", scheduler::format_iso8601(*when) + " is in the past (now is " +
                                              scheduler::format_iso8601(*now) + "); pick a later time");
    out.spec = {"at", scheduler::format_iso8601(*when), "", ""};
    return ok_status();
}

Status parse_every(const Json& s, CronSchedule& out) {
    std::chrono::seconds interval{0};
    if (s.contains("everyMs")) {
        if (!s["everyMs"].is_number_integer() || s["everyMs"].get<int64_t>() < 1000)
            return field_error("schedule.everyMs", "must be a whole number of milliseconds, at least 1000");
        interval = std::chrono::seconds(s["everyMs"].get<int64_t>() / 1000);
    } else if (s.contains("every")) {
        if (!s["every"].is_string()) return field_error("schedule.every", "must be text such as \"5m\", \"1h\" or \"1d\"");
        auto parsed = scheduler::parse_interval(s["every"].get<std::string>());
        if (!parsed) return field_error("schedule.every", parsed.error().message);
        interval = *parsed;
    } else {
        return field_error("schedule.everyMs", "kind \"every\" needs everyMs (milliseconds) or every (\"5m\", \"1h\", \"1d\")");
    }
    std::string anchor;
    if (s.contains("anchor") && !s["anchor"].is_null()) {
        auto a = instant_field(s["anchor"], "schedule.anchor");
        if (!a) return a.error();
        anchor = scheduler::format_iso8601(*a);
    }
    out.spec = {"every", std::to_string(interval.count()) + "s", "", anchor};
    return ok_status();
}

Status parse_cron(const Json& s, CronSchedule& out) {
    if (!s.contains("expr") || !s["expr"].is_string())
        return field_error("schedule.expr", "is required for kind \"cron\": five fields, e.g. \"30 7 * * MON-FRI\"");
    const std::string expr = s["expr"].get<std::string>();
    if (auto parsed = scheduler::CronExpr::parse(expr); !parsed) return field_error("schedule.expr", parsed.error().message);
    out.spec = {"cron", expr, out.tz, ""};
    return ok_status();
}

}  // namespace

Error field_error(const std::string& field, const std::string& why) {
    return make_error(api::kInvalidParams, "params." + field + ": " + why, Json{{"field", field}});
}

Result<CronSchedule> parse_cron_schedule(const Json& schedule, std::optional<Instant> now) {
    if (!schedule.is_object()) return field_error("schedule", "must be an object with a kind (\"at\", \"every\" or \"cron\")");
    const std::string kind = schedule.value("kind", "");
    auto tz = zone_field(schedule);
    if (!tz) return tz.error();
    CronSchedule out;
    out.tz = *tz;
    Status st = ok_status();
    if (kind == "at") st = parse_at(schedule, now, out);
    else if (kind == "every") st = parse_every(schedule, out);
    else if (kind == "cron") st = parse_cron(schedule, out);
    else return field_error("schedule.kind", "'" + kind + "' is not one of \"at\", \"every\", \"cron\"");
    if (!st) return st.error();
    // The scheduler re-checks (and is the one that evaluates it).
    if (auto parsed = scheduler::parse_schedule(out.spec); !parsed) return field_error("schedule", parsed.error().message);
    out.json = schedule;
    out.json["tz"] = out.tz;
    return out;
}

}  // namespace cowork::kernel::cron
