// Cron parsing: accepted forms, Vixie day semantics, and one test per error kind.
#include "scheduler/cron_expr.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::scheduler {
namespace {

using namespace std::chrono;

CronExpr parse_ok(const char* text) {
    auto e = CronExpr::parse(text);
    EXPECT_TRUE(e.ok()) << text << ": " << (e.ok() ? "" : e.error().message);
    return e.ok() ? *e : *CronExpr::parse("* * * * *");
}

std::string error_of(const char* text) {
    auto e = CronExpr::parse(text);
    EXPECT_FALSE(e.ok()) << text;
    if (e.ok()) return "";
    EXPECT_EQ(e.error().code, "schedule.invalid_cron");
    return e.error().message;
}

TEST(CronExpr, StepsRangesAndLists) {
    auto e = parse_ok("10-50/20 */6 * * *");
    for (int m = 0; m < 60; ++m) EXPECT_EQ(e.minute_matches(m), m == 10 || m == 30 || m == 50) << m;
    for (int h = 0; h < 24; ++h) EXPECT_EQ(e.hour_matches(h), h % 6 == 0) << h;
    auto f = parse_ok("5/20,59 1,3-4 * * *");
    EXPECT_TRUE(f.minute_matches(5) && f.minute_matches(25) && f.minute_matches(45) && f.minute_matches(59));
    EXPECT_FALSE(f.minute_matches(6));
    EXPECT_TRUE(f.hour_matches(1) && f.hour_matches(3) && f.hour_matches(4));
    EXPECT_FALSE(f.hour_matches(2));
}

TEST(CronExpr, NamesAndSundayAsSeven) {
    auto e = parse_ok("0 0 * jan-Mar SUN");
    EXPECT_TRUE(e.day_matches(2025y / January / 5));    // a Sunday in January
    EXPECT_FALSE(e.day_matches(2025y / January / 6));   // Monday
    EXPECT_FALSE(e.day_matches(2025y / April / 6));     // Sunday, wrong month
    auto seven = parse_ok("0 0 * * 7");
    EXPECT_TRUE(seven.day_matches(2025y / January / 5));
    EXPECT_FALSE(seven.day_matches(2025y / January / 4));
}

TEST(CronExpr, DayOfMonthOrDayOfWeekWhenBothRestricted) {
    auto both = parse_ok("0 0 13 * FRI");  // the 13th OR any Friday (Vixie)
    EXPECT_TRUE(both.day_matches(2025y / June / 6));    // Friday the 6th
    EXPECT_TRUE(both.day_matches(2025y / May / 13));    // Tuesday the 13th
    EXPECT_FALSE(both.day_matches(2025y / June / 7));
    auto dom_star = parse_ok("0 0 */2 * FRI");  // starts with '*': AND
    EXPECT_FALSE(dom_star.day_matches(2025y / June / 6));  // Friday, but even day
    EXPECT_TRUE(dom_star.day_matches(2025y / June / 13));  // Friday and odd
    EXPECT_FALSE(dom_star.day_matches(2025y / June / 11));  // odd, Wednesday
}

TEST(CronExpr, Aliases) {
    auto daily = parse_ok("@daily");
    EXPECT_TRUE(daily.minute_matches(0) && daily.hour_matches(0));
    EXPECT_FALSE(daily.hour_matches(1));
    auto weekly = parse_ok("@weekly");
    EXPECT_TRUE(weekly.day_matches(2025y / January / 5));
    EXPECT_FALSE(weekly.day_matches(2025y / January / 6));
    auto yearly = parse_ok("@yearly");
    EXPECT_TRUE(yearly.day_matches(2025y / January / 1));
    EXPECT_FALSE(yearly.day_matches(2025y / February / 1));
    EXPECT_TRUE(parse_ok("@hourly").hour_is_wildcard());
    EXPECT_TRUE(parse_ok("@monthly").day_matches(2025y / July / 1));
}

TEST(CronExpr, ErrorsNameTheField) {
    EXPECT_EQ(error_of("0 25 * * *"), "cron field 2 (hour): 25 out of range 0-23");
    EXPECT_EQ(error_of("60 * * * *"), "cron field 1 (minute): 60 out of range 0-59");
    EXPECT_EQ(error_of("0 0 0 * *"), "cron field 3 (day-of-month): 0 out of range 1-31");
    EXPECT_EQ(error_of("0 0 * 13 *"), "cron field 4 (month): 13 out of range 1-12");
    EXPECT_EQ(error_of("0 0 * * 8"), "cron field 5 (day-of-week): 8 out of range 0-7");
    EXPECT_EQ(error_of("0 0 * FOO *"), "cron field 4 (month): 'FOO' is not a number or name");
    EXPECT_EQ(error_of("x * * * *"), "cron field 1 (minute): 'x' is not a number");
    EXPECT_EQ(error_of("*/0 * * * *"), "cron field 1 (minute): step 0 out of range 1-59");
    EXPECT_EQ(error_of("*/a * * * *"), "cron field 1 (minute): bad step 'a'");
    EXPECT_EQ(error_of("0 5-3 * * *"), "cron field 2 (hour): range 5-3 is backwards");
    EXPECT_EQ(error_of("1,,2 * * * *"), "cron field 1 (minute): empty list item");
    EXPECT_EQ(error_of("0 0 * * MON-"), "cron field 5 (day-of-week): missing value");
    EXPECT_NE(error_of("* * * *").find("has 4 fields; expected 5"), std::string::npos);
    EXPECT_NE(error_of("* * * * * *").find("has 6 fields"), std::string::npos);
    EXPECT_NE(error_of("@reboot").find("not supported"), std::string::npos);
}

TEST(CronExpr, ErrorDetailsCarryFieldNumber) {
    auto e = CronExpr::parse("0 0 32 * *");
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().details["field"], 3);
    EXPECT_EQ(e.error().details["name"], "day-of-month");
}

}  // namespace
}  // namespace cowork::kernel::scheduler
