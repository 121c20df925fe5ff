// next_after: at, every, and cron across DST in several zones.
#include "scheduler/schedule.hpp"

#include "test_time.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::scheduler {
namespace {

using namespace std::chrono;
using test::at;

Schedule cron(const char* expr, const char* tz) {
    auto s = parse_schedule(ScheduleSpec{"cron", expr, tz, ""});
    EXPECT_TRUE(s.ok()) << expr << " " << tz << ": " << (s.ok() ? "" : s.error().message);
    return s.ok() ? *s : Schedule(AtSchedule{});
}

std::string next(const Schedule& s, const char* after) {
    auto n = next_after(s, at(after));
    return n ? format_iso8601(*n) : "none";
}

TEST(NextAfter, AtRunsOnceInTheFuture) {
    auto s = parse_schedule(ScheduleSpec{"at", "2025-03-30T01:30:00+01:00", "", ""});
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(next(*s, "2025-03-30T00:00:00Z"), "2025-03-30T00:30:00Z");
    EXPECT_EQ(next(*s, "2025-03-30T00:30:00Z"), "none");
    auto bad = parse_schedule(ScheduleSpec{"at", "2025-03-30T01:30:00", "", ""});
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, "schedule.invalid_time");
    EXPECT_NE(bad.error().message.find("missing offset"), std::string::npos);
    EXPECT_FALSE(parse_schedule(ScheduleSpec{"at", "2025-02-30T00:00:00Z", "", ""}).ok());
}

TEST(NextAfter, EveryWithAndWithoutAnchor) {
    auto plain = parse_schedule(ScheduleSpec{"every", "15m", "", ""});
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(next(*plain, "2025-01-01T10:07:00Z"), "2025-01-01T10:15:00Z");
    EXPECT_EQ(next(*plain, "2025-01-01T10:15:00Z"), "2025-01-01T10:30:00Z");
    auto anchored = parse_schedule(ScheduleSpec{"every", "1h30m", "", "2025-01-01T00:10:00Z"});
    ASSERT_TRUE(anchored.ok());
    EXPECT_EQ(next(*anchored, "2025-01-01T01:00:00Z"), "2025-01-01T01:40:00Z");
    EXPECT_EQ(next(*anchored, "2024-12-31T23:00:00Z"), "2025-01-01T00:10:00Z");  // before the anchor
    EXPECT_EQ(next(*anchored, "2024-12-31T22:39:59Z"), "2024-12-31T22:40:00Z");
    EXPECT_EQ(next(*anchored, "2024-12-31T22:40:00Z"), "2025-01-01T00:10:00Z");  // exactly on a beat
    for (const char* bad : {"", "15", "m", "0s", "5w", "1h-2m"}) {
        auto s = parse_schedule(ScheduleSpec{"every", bad, "", ""});
        ASSERT_FALSE(s.ok()) << bad;
        EXPECT_EQ(s.error().code, "schedule.invalid_interval");
    }
}

TEST(NextAfter, CronInUtcAndNamedDays) {
    EXPECT_EQ(next(cron("@daily", "UTC"), "2025-06-15T10:00:00Z"), "2025-06-16T00:00:00Z");
    EXPECT_EQ(next(cron("0 9 * * MON-FRI", "UTC"), "2025-06-13T10:00:00Z"), "2025-06-16T09:00:00Z");
    EXPECT_EQ(next(cron("*/5 * * * *", "UTC"), "2025-06-13T10:00:00Z"), "2025-06-13T10:05:00Z");
    EXPECT_EQ(next(cron("0 0 13 * FRI", "UTC"), "2025-06-01T00:00:00Z"), "2025-06-06T00:00:00Z");
    EXPECT_EQ(next(cron("0 0 13 * FRI", "UTC"), "2025-06-06T00:00:00Z"), "2025-06-13T00:00:00Z");
    EXPECT_EQ(next(cron("0 0 29 2 *", "UTC"), "2025-01-01T00:00:00Z"), "2028-02-29T00:00:00Z");
    EXPECT_EQ(next(cron("0 0 30 2 *", "UTC"), "2025-01-01T00:00:00Z"), "none");
    EXPECT_EQ(next(cron("@yearly", "UTC"), "2025-01-01T00:00:00Z"), "2026-01-01T00:00:00Z");
}

TEST(NextAfter, KolkataHasNoDstAndAHalfHourOffset) {
    auto s = cron("0 9 * * *", "Asia/Kolkata");
    EXPECT_EQ(next(s, "2025-01-01T00:00:00Z"), "2025-01-01T03:30:00Z");
    EXPECT_EQ(next(s, "2025-07-01T03:30:00Z"), "2025-07-02T03:30:00Z");
}

TEST(NextAfter, NewYorkSpringGapRunsOnceAtGapEnd) {
    auto s = cron("30 2 * * *", "America/New_York");
    EXPECT_EQ(next(s, "2025-03-08T12:00:00Z"), "2025-03-09T07:00:00Z");  // 02:30 absent → 03:00 EDT
    EXPECT_EQ(next(s, "2025-03-09T07:00:00Z"), "2025-03-10T06:30:00Z");
    auto quarterly = cron("*/15 2 * * *", "America/New_York");  // four readings, all in the gap
    EXPECT_EQ(next(quarterly, "2025-03-09T06:00:00Z"), "2025-03-09T07:00:00Z");
    EXPECT_EQ(next(quarterly, "2025-03-09T07:00:00Z"), "2025-03-10T06:00:00Z");  // once, not four times
    // Same rule decades ahead, where only the POSIX footer knows the dates.
    EXPECT_EQ(next(s, "2040-03-10T12:00:00Z"), "2040-03-11T07:00:00Z");
}

TEST(NextAfter, NewYorkFallBackRunsOnceAtFirstOccurrence) {
    auto s = cron("30 1 * * *", "America/New_York");
    EXPECT_EQ(next(s, "2025-11-02T00:00:00Z"), "2025-11-02T05:30:00Z");  // 01:30 EDT
    EXPECT_EQ(next(s, "2025-11-02T05:30:00Z"), "2025-11-03T06:30:00Z");  // not 01:30 EST again
    EXPECT_EQ(next(s, "2025-11-02T06:00:00Z"), "2025-11-03T06:30:00Z");  // inside the repeated hour
    // Hour '*': interval-like, runs in both passes of the repeated hour.
    auto hourly = cron("30 * * * *", "America/New_York");
    EXPECT_EQ(next(hourly, "2025-11-02T05:30:00Z"), "2025-11-02T06:30:00Z");
    EXPECT_EQ(next(hourly, "2025-11-02T06:30:00Z"), "2025-11-02T07:30:00Z");
}

TEST(NextAfter, BerlinSpringAndAutumn) {
    auto s = cron("30 2 * * *", "Europe/Berlin");
    EXPECT_EQ(next(s, "2025-03-29T12:00:00Z"), "2025-03-30T01:00:00Z");  // gap → 03:00 CEST
    EXPECT_EQ(next(s, "2025-03-30T01:00:00Z"), "2025-03-31T00:30:00Z");
    EXPECT_EQ(next(s, "2025-10-25T12:00:00Z"), "2025-10-26T00:30:00Z");  // first 02:30 (CEST)
    EXPECT_EQ(next(s, "2025-10-26T00:30:00Z"), "2025-10-27T01:30:00Z");  // CET from now on
    auto three = cron("0 3 * * *", "Europe/Berlin");  // outside the gap: offset switches cleanly
    EXPECT_EQ(next(three, "2025-03-29T00:00:00Z"), "2025-03-29T02:00:00Z");
    EXPECT_EQ(next(three, "2025-03-29T02:00:00Z"), "2025-03-30T01:00:00Z");
    EXPECT_EQ(next(three, "2025-10-25T12:00:00Z"), "2025-10-26T02:00:00Z");
}

TEST(NextAfter, LordHoweHalfHourDst) {
    auto s = cron("15 2 * * *", "Australia/Lord_Howe");
    EXPECT_EQ(next(s, "2025-10-04T00:00:00Z"), "2025-10-04T15:30:00Z");  // 02:15 absent → 02:30 (+11)
    auto fold = cron("45 1 * * *", "Australia/Lord_Howe");
    EXPECT_EQ(next(fold, "2025-04-05T00:00:00Z"), "2025-04-05T14:45:00Z");  // first 01:45 (+11)
    EXPECT_EQ(next(fold, "2025-04-05T14:45:00Z"), "2025-04-06T15:15:00Z");  // next day, +10:30
}

TEST(ParseSchedule, RefusesBadKindAndZone) {
    auto kind = parse_schedule(ScheduleSpec{"sometimes", "x", "", ""});
    ASSERT_FALSE(kind.ok());
    EXPECT_EQ(kind.error().code, "schedule.invalid_kind");
    auto traversal = parse_schedule(ScheduleSpec{"cron", "@daily", "../../etc/passwd", ""});
    ASSERT_FALSE(traversal.ok());
    EXPECT_EQ(traversal.error().code, "tz.invalid_name");
    auto cron_error = parse_schedule(ScheduleSpec{"cron", "0 24 * * *", "UTC", ""});
    ASSERT_FALSE(cron_error.ok());
    EXPECT_EQ(cron_error.error().message, "cron field 2 (hour): 24 out of range 0-23");
}

}  // namespace
}  // namespace cowork::kernel::scheduler
