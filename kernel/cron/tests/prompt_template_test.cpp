// Prompt templates: values in the job's zone, unknown placeholders kept,
// substituted values defanged so they can never expand again.
#include "cron/prompt_template.hpp"
#include "scheduler/iso8601.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::cron {
namespace {

scheduler::Instant at(const char* iso) { return *scheduler::parse_iso8601(iso); }

std::shared_ptr<const scheduler::TimeZone> zone(const char* name) {
    auto z = scheduler::TimeZone::load(name);
    EXPECT_TRUE(z) << name;
    return *z;
}

TEST(PromptTemplate, DatesAreInTheJobsZone) {
    // 23:30 UTC on a Wednesday is already Thursday in Tokyo.
    const auto values = template_values(*zone("Asia/Tokyo"), at("2026-03-04T23:30:00Z"), std::nullopt, "daily", "");
    EXPECT_EQ(values.at("now"), "2026-03-05T08:30:00+09:00");
    EXPECT_EQ(values.at("today"), "2026-03-05");
    EXPECT_EQ(values.at("tomorrow"), "2026-03-06");
    EXPECT_EQ(values.at("week_end"), "2026-03-08");  // the coming Sunday
    EXPECT_EQ(values.at("prev_run"), "never");
    EXPECT_EQ(values.at("job_name"), "daily");
}

TEST(PromptTemplate, WeekEndOnASundayIsToday_AndPrevRunIsLocal) {
    const auto values = template_values(*zone("America/New_York"), at("2026-03-08T15:00:00Z"),
                                        at("2026-03-07T15:00:00Z"), "j", "");
    EXPECT_EQ(values.at("today"), "2026-03-08");
    EXPECT_EQ(values.at("week_end"), "2026-03-08");
    EXPECT_EQ(values.at("now"), "2026-03-08T11:00:00-04:00");       // after the DST switch that morning
    EXPECT_EQ(values.at("prev_run"), "2026-03-07T10:00:00-05:00");  // before it
}

TEST(PromptTemplate, RendersKnownPlaceholdersAndKeepsUnknownOnes) {
    const TemplateValues v{{"today", "2026-01-02"}, {"job_name", "report"}};
    EXPECT_EQ(render_prompt("Report {{job_name}} for {{ today }}; {{unknown}} stays, {single} too.", v),
              "Report report for 2026-01-02; {{unknown}} stays, {single} too.");
    EXPECT_EQ(render_prompt("{{{{today}}", v), "{{2026-01-02");
    EXPECT_EQ(render_prompt("no placeholders", v), "no placeholders");
    EXPECT_EQ(render_prompt("dangling {{today", v), "dangling {{today");
}

TEST(PromptTemplate, ValuesAreDefangedAndNeverExpandAgain) {
    const TemplateValues v{{"wake_text", "please run {{today}} and {{{{now}}}}"}, {"today", "2026-01-02"},
                           {"now", "NOW"}};
    const std::string out = render_prompt("Wake: {{wake_text}}", v);
    EXPECT_EQ(out, "Wake: please run { {today}} and { { { {now}}}}");
    EXPECT_EQ(out.find("{{"), std::string::npos);
    // Rendering the output again changes nothing: nothing in it can expand.
    EXPECT_EQ(render_prompt(out, v), out);
}

TEST(PromptTemplate, AValueCannotFormBracesWithItsNeighbours) {
    const TemplateValues v{{"a", "x{"}, {"b", "{now}}"}, {"now", "NOW"}};
    const std::string left = render_prompt("{{a}}{now}}", v);
    EXPECT_EQ(left.find("{{"), std::string::npos) << left;
    const std::string right = render_prompt("{{{b}}", v);
    EXPECT_EQ(right.find("{{"), std::string::npos) << right;
    EXPECT_EQ(render_prompt(left, v), left);
}

TEST(PromptTemplate, DefangRemovesEveryDoubleBrace) {
    EXPECT_EQ(defang("{{{{"), "{ { { {");
    EXPECT_EQ(defang("plain"), "plain");
    EXPECT_EQ(defang("{{x}}").find("{{"), std::string::npos);
}

}  // namespace
}  // namespace cowork::kernel::cron
