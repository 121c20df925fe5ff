// TZif reading, POSIX footer rules, name validation and local-time resolution.
#include "scheduler/time_zone.hpp"

#include "test_time.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::scheduler {
namespace {

using namespace std::chrono;
using test::at;

std::shared_ptr<const TimeZone> zone(const char* name) {
    auto z = TimeZone::load(name);
    EXPECT_TRUE(z.ok()) << name << ": " << (z.ok() ? "" : z.error().message);
    return z.ok() ? *z : nullptr;
}

LocalTime local(int y, unsigned mo, unsigned d, int h, int mi) {
    return local_days(year{y} / mo / d) + hours(h) + minutes(mi);
}

TEST(TimeZone, RefusesNamesThatCouldEscapeZoneinfo) {
    for (const char* bad : {"../etc/passwd", "/etc/passwd", "Europe/../../etc/shadow", "", "Europe//Berlin",
                            "Europe/Berlin/", ".hidden", "Europe/Ber lin", "Europe\\Berlin", "-rf"}) {
        auto z = TimeZone::load(bad);
        ASSERT_FALSE(z.ok()) << bad;
        EXPECT_EQ(z.error().code, "tz.invalid_name") << bad;
    }
    auto unknown = TimeZone::load("Mars/Olympus_Mons");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, "tz.unknown");
    auto directory = TimeZone::load("Europe");
    ASSERT_FALSE(directory.ok());
}

TEST(TimeZone, RejectsNonTzifBytes) {
    auto z = TimeZone::from_tzif("Bad/Zone", "not a tzif file at all, but long enough to have a header....");
    ASSERT_FALSE(z.ok());
    EXPECT_EQ(z.error().code, "tz.invalid_file");
}

TEST(TimeZone, OffsetsFromTransitionsAndFooter) {
    auto ny = zone("America/New_York");
    EXPECT_EQ(ny->offset_at(at("2025-01-15T12:00:00Z")), -5 * 3600);
    EXPECT_EQ(ny->offset_at(at("2025-07-15T12:00:00Z")), -4 * 3600);
    EXPECT_EQ(ny->offset_at(at("2025-03-09T06:59:59Z")), -5 * 3600);
    EXPECT_EQ(ny->offset_at(at("2025-03-09T07:00:00Z")), -4 * 3600);
    // Far beyond any table: the POSIX footer rule answers.
    EXPECT_EQ(ny->offset_at(at("2100-07-04T12:00:00Z")), -4 * 3600);
    EXPECT_EQ(ny->offset_at(at("2100-12-25T12:00:00Z")), -5 * 3600);
    auto kolkata = zone("Asia/Kolkata");
    EXPECT_EQ(kolkata->offset_at(at("2025-07-01T00:00:00Z")), 5 * 3600 + 1800);
    EXPECT_EQ(kolkata->offset_at(at("2090-01-01T00:00:00Z")), 5 * 3600 + 1800);
    EXPECT_EQ(zone("UTC")->offset_at(at("2025-07-01T00:00:00Z")), 0);
    auto lord_howe = zone("Australia/Lord_Howe");
    EXPECT_EQ(lord_howe->offset_at(at("2025-07-01T00:00:00Z")), 10 * 3600 + 1800);
    EXPECT_EQ(lord_howe->offset_at(at("2099-01-01T00:00:00Z")), 11 * 3600);
}

TEST(TimeZone, ResolvesGapsAndFolds) {
    auto berlin = zone("Europe/Berlin");
    auto plain = berlin->resolve(local(2025, 6, 1, 12, 0));
    EXPECT_EQ(plain.kind, LocalResolution::Kind::Unique);
    EXPECT_EQ(plain.first, at("2025-06-01T10:00:00Z"));
    auto gap = berlin->resolve(local(2025, 3, 30, 2, 30));
    EXPECT_EQ(gap.kind, LocalResolution::Kind::Gap);
    EXPECT_EQ(gap.first, at("2025-03-30T01:00:00Z"));  // 03:00 CEST, first instant after the gap
    auto fold = berlin->resolve(local(2025, 10, 26, 2, 30));
    EXPECT_EQ(fold.kind, LocalResolution::Kind::Ambiguous);
    EXPECT_EQ(fold.first, at("2025-10-26T00:30:00Z"));
    EXPECT_EQ(fold.second, at("2025-10-26T01:30:00Z"));
}

TEST(PosixTzRule, ParsesFooterForms) {
    auto us = PosixTzRule::parse("EST5EDT,M3.2.0,M11.1.0");
    ASSERT_TRUE(us.ok());
    EXPECT_EQ(us->offset_at(at("2030-07-01T00:00:00Z")), -4 * 3600);
    auto india = PosixTzRule::parse("IST-5:30");
    ASSERT_TRUE(india.ok());
    EXPECT_EQ(india->offset_at(at("2030-07-01T00:00:00Z")), 19800);
    auto south = PosixTzRule::parse("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
    ASSERT_TRUE(south.ok());
    EXPECT_EQ(south->offset_at(at("2030-01-01T00:00:00Z")), 11 * 3600);  // southern summer
    EXPECT_EQ(south->offset_at(at("2030-07-01T00:00:00Z")), 37800);
    auto julian = PosixTzRule::parse("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    ASSERT_TRUE(julian.ok());
    for (const char* bad : {"", "E5", "EST", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "EST5EDT,J0,J5",
                            "EST5EDT,M3.2.0,M11.1.0/x"})
        EXPECT_FALSE(PosixTzRule::parse(bad).ok()) << bad;
}

}  // namespace
}  // namespace cowork::kernel::scheduler
