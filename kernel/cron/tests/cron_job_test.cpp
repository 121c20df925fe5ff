// Cron job definitions: every validation error is INVALID_PARAMS naming the
// field; schedules become the scheduler's specs.
#include "api/api.hpp"
#include "cron/cron_job.hpp"
#include "cron/local_zone.hpp"
#include "scheduler/iso8601.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace cowork::kernel::cron {
namespace {

const scheduler::Instant kNow = *scheduler::parse_iso8601("2026-03-01T12:00:00Z");

Json base(Json schedule) {
    return Json{{"name", "daily"}, {"prompt", "hi"}, {"workspace", "/tmp"}, {"schedule", std::move(schedule)}};
}

// The field an invalid definition is refused for.
std::string refused_field(const Json& definition, std::string* message = nullptr) {
    auto job = job_from_definition(definition, kNow);
    if (job) return "(accepted)";
    EXPECT_EQ(job.error().code, api::kInvalidParams);
    if (message) *message = job.error().message;
    return job.error().details.value("field", "");
}

TEST(CronJobDefinition, DefaultsAndSchedules) {
    auto job = job_from_definition(base({{"kind", "cron"}, {"expr", "30 7 * * MON-FRI"}, {"tz", "Europe/Berlin"}}), kNow);
    ASSERT_TRUE(job) << job.error().message;
    EXPECT_TRUE(job->enabled);
    EXPECT_EQ(job->timeout_seconds, 1800);
    EXPECT_EQ(job->missed, scheduler::MissedRunPolicy::RunOnce);
    EXPECT_FALSE(job->delivery);
    EXPECT_EQ(job->schedule.spec.kind, "cron");
    EXPECT_EQ(job->schedule.spec.tz, "Europe/Berlin");

    auto every = job_from_definition(base({{"kind", "every"}, {"every", "1h"}}), kNow);
    ASSERT_TRUE(every);
    EXPECT_EQ(every->schedule.spec.expr, "3600s");
    auto every_ms = job_from_definition(base({{"kind", "every"}, {"everyMs", 300000}}), kNow);
    ASSERT_TRUE(every_ms);
    EXPECT_EQ(every_ms->schedule.spec.expr, "300s");

    auto at_ms = job_from_definition(base({{"kind", "at"}, {"at", int64_t{1772413200000}}}), kNow);  // 2026-03-02T01:00Z
    ASSERT_TRUE(at_ms) << at_ms.error().message;
    EXPECT_EQ(at_ms->schedule.spec.expr, "2026-03-02T01:00:00Z");
    auto at_iso = job_from_definition(base({{"kind", "at"}, {"at", "2026-03-02T02:00:00+01:00"}}), kNow);
    ASSERT_TRUE(at_iso);
    EXPECT_EQ(at_iso->schedule.spec.expr, "2026-03-02T01:00:00Z");
    EXPECT_FALSE(at_iso->schedule.tz.empty());  // the machine's zone by default
}

TEST(CronJobDefinition, BadCronExpressionNamesTheFieldPosition) {
    std::string message;
    EXPECT_EQ(refused_field(base({{"kind", "cron"}, {"expr", "0 25 * * *"}}), &message), "schedule.expr");
    EXPECT_NE(message.find("field 2 (hour)"), std::string::npos) << message;
    EXPECT_EQ(refused_field(base({{"kind", "cron"}, {"expr", "* * *"}})), "schedule.expr");
}

TEST(CronJobDefinition, UnknownZoneAndPastAtAreRefused) {
    std::string message;
    EXPECT_EQ(refused_field(base({{"kind", "cron"}, {"expr", "0 9 * * *"}, {"tz", "Mars/Olympus"}}), &message),
              "schedule.tz");
    EXPECT_NE(message.find("IANA"), std::string::npos);
    EXPECT_EQ(refused_field(base({{"kind", "at"}, {"at", "2026-02-28T12:00:00Z"}}), &message), "schedule.at");
    EXPECT_NE(message.find("in the past"), std::string::npos);
    // A stored job (no `now`) whose time passed still loads.
    EXPECT_TRUE(job_from_definition(base({{"kind", "at"}, {"at", "2026-02-28T12:00:00Z"}}), std::nullopt));
}

TEST(CronJobDefinition, EveryFieldIsChecked) {
    EXPECT_EQ(refused_field(base({{"kind", "weekly"}})), "schedule.kind");
    EXPECT_EQ(refused_field(base({{"kind", "every"}, {"everyMs", 10}})), "schedule.everyMs");
    EXPECT_EQ(refused_field(base({{"kind", "every"}, {"every", "5 minutes"}})), "schedule.every");
    EXPECT_EQ(refused_field(base({{"kind", "every"}})), "schedule.everyMs");
    EXPECT_EQ(refused_field(base({{"kind", "at"}})), "schedule.at");
    EXPECT_EQ(refused_field(base({{"kind", "every"}, {"every", "1h"}})), "(accepted)");
    Json no_name = base({{"kind", "every"}, {"every", "1h"}});
    no_name.erase("name");
    EXPECT_EQ(refused_field(no_name), "name");
    Json no_prompt = base({{"kind", "every"}, {"every", "1h"}});
    no_prompt["prompt"] = "";
    EXPECT_EQ(refused_field(no_prompt), "prompt");
    Json extra = base({{"kind", "every"}, {"every", "1h"}});
    extra["colour"] = "blue";
    EXPECT_EQ(refused_field(extra), "colour");
    Json timeout = base({{"kind", "every"}, {"every", "1h"}});
    timeout["timeoutSeconds"] = 0;
    EXPECT_EQ(refused_field(timeout), "timeoutSeconds");
    Json once = base({{"kind", "every"}, {"every", "1h"}});
    once["deleteAfterRun"] = true;
    EXPECT_EQ(refused_field(once), "deleteAfterRun");
    Json policy = base({{"kind", "every"}, {"every", "1h"}});
    policy["missedRunPolicy"] = "run_all";
    EXPECT_EQ(refused_field(policy), "missedRunPolicy");
    Json delivery = base({{"kind", "every"}, {"every", "1h"}});
    delivery["delivery"] = {{"channelId", "chan.x"}};
    EXPECT_EQ(refused_field(delivery), "delivery.to");
}

TEST(CronJobDefinition, PatchReplacesTopLevelAndMergesDelivery) {
    Json d = base({{"kind", "every"}, {"every", "1h"}});
    d["delivery"] = {{"channelId", "chan.x"}, {"to", "bob"}};
    auto job = job_from_definition(d, kNow);
    ASSERT_TRUE(job);
    EXPECT_TRUE(job->delivery->on_success);
    EXPECT_FALSE(job->delivery->only_if_result);
    const Json patched = patched_definition(*job, {{"prompt", "new"}, {"delivery", {{"onlyIfResult", true}}}});
    auto updated = job_from_definition(patched, std::nullopt);
    ASSERT_TRUE(updated) << updated.error().message;
    EXPECT_EQ(updated->prompt, "new");
    EXPECT_EQ(updated->delivery->to, "bob");
    EXPECT_TRUE(updated->delivery->only_if_result);
    EXPECT_EQ(updated->schedule.spec.expr, "3600s");
    auto removed = job_from_definition(patched_definition(*job, {{"delivery", nullptr}}), std::nullopt);
    ASSERT_TRUE(removed);
    EXPECT_FALSE(removed->delivery);
}

// $TZ wins when it names a zone; anything else falls through to a zone
// that loads (the system's, else UTC).
TEST(LocalZone, TzNamesAZoneOrIsIgnored) {
    const char* saved = std::getenv("TZ");
    const std::string before = saved ? saved : "";
    ::setenv("TZ", "Asia/Tokyo", 1);
    EXPECT_EQ(local_zone_name(), "Asia/Tokyo");
    ::setenv("TZ", ":Europe/Berlin", 1);
    EXPECT_EQ(local_zone_name(), "Europe/Berlin");
    ::setenv("TZ", "../../etc/passwd", 1);
    const std::string fallback = local_zone_name();
    EXPECT_NE(fallback, "../../etc/passwd");
    EXPECT_TRUE(scheduler::TimeZone::load(fallback)) << fallback;
    if (saved) ::setenv("TZ", before.c_str(), 1);
    else ::unsetenv("TZ");
}

}  // namespace
}  // namespace cowork::kernel::cron
