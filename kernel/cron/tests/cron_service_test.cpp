// The cron service on a real SQLite file, a real Api and a simulated clock.
// Tasks are served by FakeTasks: the task.* methods the agent runtime
// registers, answering from a map so the test decides when a task ends.
#include "cron/cron_service.hpp"
#include "scheduler/iso8601.hpp"
#include "storage/kernel_schema.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::cron {
namespace {

using namespace std::chrono;
using scheduler::Instant;
using scheduler::ManualClock;

Instant at(const char* iso) { return *scheduler::parse_iso8601(iso); }

// task.create / task.get / task.cancel, as the agent's methods answer them.
struct FakeTasks {
    struct Task {
        Json params;
        std::string caller, status, text;
        Instant created;
    };
    api::Api api;
    const scheduler::Clock& clock;
    mutable std::mutex m;
    std::vector<std::string> order;
    std::map<std::string, Task> tasks;
    std::vector<std::string> cancelled;
    std::string finish_as = "completed";  // "" leaves new tasks running
    std::string result_text = "the answer";

    explicit FakeTasks(const scheduler::Clock& c) : clock(c) {
        using namespace api;
        (void)api.add({"task.create", kScopeWrite, true, ""}, [this](const Caller& caller, const Json& p) -> Result<Json> {
            std::lock_guard lock(m);
            const std::string id = "task_" + std::to_string(order.size() + 1);
            order.push_back(id);
            tasks[id] = Task{p, caller.id, finish_as.empty() ? "executing" : finish_as, result_text, clock.now()};
            return Json{{"id", id}, {"status", "queued"}};
        });
        (void)api.add({"task.get", kScopeRead, false, ""}, [this](const Caller&, const Json& p) -> Result<Json> {
            std::lock_guard lock(m);
            auto it = tasks.find(p.value("id", ""));
            if (it == tasks.end()) return make_error(kInvalidParams, "no task");
            Json j{{"id", it->first}, {"status", it->second.status}, {"result", {{"text", it->second.text}}}};
            j["error"] = it->second.status == "failed" ? Json("model refused") : Json(nullptr);
            return j;
        });
        (void)api.add({"task.cancel", kScopeWrite, true, ""}, [this](const Caller&, const Json& p) -> Result<Json> {
            std::lock_guard lock(m);
            cancelled.push_back(p.value("id", ""));
            tasks[p.value("id", "")].status = "cancelled";
            return Json{{"id", p.value("id", "")}, {"status", "cancelled"}};
        });
    }
    size_t count() const {
        std::lock_guard lock(m);
        return order.size();
    }
    Task task(size_t i) const {
        std::lock_guard lock(m);
        return tasks.at(order.at(i));
    }
    void set_status(size_t i, const std::string& status) {
        std::lock_guard lock(m);
        tasks.at(order.at(i)).status = status;
    }
};

// Records what the outbox is asked to send.
struct RecordingSender final : outbox::ChannelSender {
    std::vector<outbox::Delivery> sent;
    Result<Json> send(const outbox::Delivery& d) override {
        sent.push_back(d);
        return Json{{"messageId", "m" + std::to_string(sent.size())}};
    }
};

// One kernel's worth of cron: database, clock, API, outbox, service. Close
// and open again to simulate a restart on the same file.
struct Rig {
    cowork::testing::TempDir dir;
    ManualClock clock{at("2026-03-01T00:00:00Z")};
    FakeTasks fake{clock};
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<outbox::Outbox> outbox;
    std::unique_ptr<CronService> service;
    std::string secret;  // empty: none configured
    CronOptions options;

    Rig() { open(); }
    ~Rig() { close(); }

    void open() {
        storage::Migrations m;
        EXPECT_TRUE(m.add(storage::kernel_migrations()));
        EXPECT_TRUE(m.add(outbox::outbox_migrations()));
        EXPECT_TRUE(m.add(cron_migrations()));
        auto opened = storage::Database::open({.path = dir.path() / "cowork.db"}, m);
        ASSERT_TRUE(opened) << opened.error().message;
        db = std::move(opened).value();
        outbox = std::make_unique<outbox::Outbox>(*db, clock, nullptr);
        CronDeps deps{*db, fake.api, clock, outbox.get(), nullptr,
                      [](const std::string& ws) -> Status {
                          if (ws == "/work/ws" || ws == "ws_known") return ok_status();
                          return make_error("workspace.unknown", "no workspace " + ws + " (see workspace.list)");
                      },
                      [this]() -> Result<std::string> {
                          if (secret.empty()) return make_error("secrets.not_found", "not set");
                          return secret;
                      },
                      [](const std::string& channel) -> Status {
                          if (channel == "chan.gone") return make_error("channel.unknown", "no channel chan.gone");
                          return ok_status();
                      }};
        auto created = CronService::create(deps, options);
        ASSERT_TRUE(created) << created.error().message;
        service = std::move(created).value();
    }
    void close() {
        service.reset();
        outbox.reset();
        if (db) db->close();
        db.reset();
    }
    void restart() {
        close();
        open();
    }

    Json add(Json extra) {
        Json p{{"name", "job"}, {"prompt", "Summarize {{today}} for {{job_name}}"}, {"workspace", "/work/ws"}};
        for (auto& [k, v] : extra.items()) p[k] = v;
        auto r = service->add(p);
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return r ? *r : Json::object();
    }
    Json runs(const std::string& id, int limit = 50) {
        auto r = service->runs({{"id", id}, {"limit", limit}});
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return r ? *r : Json::array();
    }
    Json job(const std::string& id) { return *service->get({{"id", id}}); }
    // Moves the clock in steps, ticking after each (as the driver would).
    void run_for(seconds total, seconds step) {
        for (seconds t{0}; t < total; t += step) {
            clock.advance(step);
            service->tick();
        }
    }
};

size_t count_status(const Json& runs, const std::string& status) {
    size_t n = 0;
    for (const auto& r : runs) n += r.value("status", "") == status;
    return n;
}

TEST(CronService, AddValidatesAndAnswersWithState) {
    Rig r;
    auto bad_ws = r.service->add({{"name", "x"}, {"prompt", "p"}, {"workspace", "/nope"},
                                  {"schedule", {{"kind", "every"}, {"every", "1h"}}}});
    ASSERT_FALSE(bad_ws);
    EXPECT_EQ(bad_ws.error().code, api::kInvalidParams);
    EXPECT_EQ(bad_ws.error().details.value("field", ""), "workspace");
    EXPECT_NE(bad_ws.error().message.find("/nope"), std::string::npos);

    const Json job = r.add({{"schedule", {{"kind", "every"}, {"every", "1h"}}}});
    EXPECT_EQ(job["id"].get<std::string>().rfind("cron_", 0), 0u);
    EXPECT_EQ(job["state"]["nextRunAt"], (at("2026-03-01T01:00:00Z").time_since_epoch().count()) * 1000);
    EXPECT_TRUE(job["state"]["lastRunAt"].is_null());

    auto dup = r.service->add({{"name", "job"}, {"prompt", "p"}, {"workspace", "/work/ws"},
                               {"schedule", {{"kind", "every"}, {"every", "1h"}}}});
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().details.value("field", ""), "name");
    auto list = r.service->list();
    ASSERT_TRUE(list);
    EXPECT_EQ(list->size(), 1u);
    EXPECT_EQ((*r.service->get({{"id", "job"}}))["id"], job["id"]);  // by name too
}

TEST(CronService, EveryHourForASimulatedDay) {
    Rig r;
    const std::string id = r.add({{"schedule", {{"kind", "every"}, {"every", "1h"}, {"tz", "UTC"}}}})["id"];
    r.run_for(hours(24), minutes(10));
    EXPECT_EQ(r.fake.count(), 24u);
    const Json runs = r.runs(id);
    EXPECT_EQ(runs.size(), 24u);
    EXPECT_EQ(count_status(runs, "ok"), 24u);
    const Json state = r.job(id)["state"];
    EXPECT_EQ(state["totals"]["ok"], 24);
    EXPECT_EQ(state["lastStatus"], "ok");
    EXPECT_EQ(state["lastTaskId"], "task_24");
    // The task came from the job: its caller, its rendered prompt, its source.
    const auto first = r.fake.task(0);
    EXPECT_EQ(first.caller, "cron:" + id);
    EXPECT_EQ(first.params.value("prompt", ""), "Summarize 2026-03-01 for job");
    EXPECT_EQ(first.params.value("workspace", ""), "/work/ws");
    EXPECT_EQ(first.params["source"].value("kind", ""), "cron");
    EXPECT_EQ(first.params["source"].value("jobId", ""), id);
    EXPECT_EQ(first.created, at("2026-03-01T01:00:00Z"));
    EXPECT_EQ(r.fake.task(23).params.value("prompt", ""), "Summarize 2026-03-02 for job");
}

TEST(CronService, CronExpressionAcrossTheSpringForwardNight) {
    Rig r;
    r.clock.set(at("2026-03-27T12:00:00Z"));
    // 02:30 does not exist in Berlin on 2026-03-29: that day it runs at 03:00 (01:00Z).
    r.add({{"schedule", {{"kind", "cron"}, {"expr", "30 2 * * *"}, {"tz", "Europe/Berlin"}}}});
    r.run_for(hours(72), minutes(15));
    ASSERT_EQ(r.fake.count(), 3u);
    EXPECT_EQ(r.fake.task(0).created, at("2026-03-28T01:30:00Z"));  // CET, +01:00
    EXPECT_EQ(r.fake.task(1).created, at("2026-03-29T01:00:00Z"));  // the gap: first instant after it
    EXPECT_EQ(r.fake.task(2).created, at("2026-03-30T00:30:00Z"));  // CEST, +02:00
    EXPECT_EQ(r.fake.task(2).params.value("prompt", ""), "Summarize 2026-03-30 for job");
}

TEST(CronService, HistoryIsBoundedPerJob) {
    Rig r;
    r.options.history_per_job = 5;
    r.restart();
    const std::string id = r.add({{"schedule", {{"kind", "every"}, {"every", "1m"}}}})["id"];
    r.run_for(minutes(8), minutes(1));
    EXPECT_EQ(r.fake.count(), 8u);
    EXPECT_EQ(r.runs(id).size(), 5u);
    EXPECT_EQ(r.job(id)["state"]["totals"]["ok"], 8);  // totals count everything
}

TEST(CronService, AnOverlappingRunIsSkippedWithAHistoryRow) {
    Rig r;
    r.fake.finish_as = "";  // tasks keep running
    const std::string id = r.add({{"schedule", {{"kind", "every"}, {"every", "1m"}}}})["id"];
    r.run_for(minutes(3), minutes(1));
    EXPECT_EQ(r.fake.count(), 1u);
    const Json runs = r.runs(id);
    EXPECT_EQ(count_status(runs, "running"), 1u);
    EXPECT_EQ(count_status(runs, "skipped"), 2u);
    EXPECT_NE(runs[0].value("error", "").find("still running"), std::string::npos);
    r.fake.set_status(0, "completed");
    r.run_for(minutes(1), minutes(1));
    EXPECT_EQ(r.fake.count(), 2u);
    EXPECT_EQ(count_status(r.runs(id), "ok"), 1u);
}

TEST(CronService, ARunPastItsTimeoutIsCancelled) {
    Rig r;
    r.fake.finish_as = "";
    const std::string id =
        r.add({{"timeoutSeconds", 90}, {"schedule", {{"kind", "every"}, {"every", "1h"}}}})["id"];
    r.run_for(hours(1), minutes(1));
    ASSERT_EQ(r.fake.count(), 1u);
    r.run_for(seconds(60), seconds(30));
    EXPECT_TRUE(r.fake.cancelled.empty());  // 60 s in: not yet
    r.run_for(seconds(30), seconds(30));
    ASSERT_EQ(r.fake.cancelled.size(), 1u);
    EXPECT_EQ(r.fake.cancelled[0], "task_1");
    const Json runs = r.runs(id);
    EXPECT_EQ(runs[0]["status"], "timeout");
    EXPECT_EQ(r.job(id)["state"]["lastStatus"], "timeout");
    EXPECT_EQ(r.service->active_runs(), 0u);
}

TEST(CronService, FailedTaskIsAnErrorRun) {
    Rig r;
    r.fake.finish_as = "failed";
    const std::string id = r.add({{"schedule", {{"kind", "every"}, {"every", "1h"}}}})["id"];
    r.run_for(hours(1), minutes(30));
    r.service->tick();
    EXPECT_EQ(r.runs(id)[0]["status"], "error");
    EXPECT_EQ(r.job(id)["state"]["lastError"], "model refused");
}

TEST(CronService, AtMostNConcurrentRuns) {
    Rig r;
    r.options.max_concurrent_runs = 1;
    r.restart();
    r.fake.finish_as = "";
    const std::string a = r.add({{"name", "a"}, {"schedule", {{"kind", "every"}, {"every", "1h"}}}})["id"];
    const std::string b = r.add({{"name", "b"}, {"schedule", {{"kind", "every"}, {"every", "1h"}}}})["id"];
    r.run_for(hours(1), hours(1));
    EXPECT_EQ(r.fake.count(), 1u);
    const size_t skipped = count_status(r.runs(a), "skipped") + count_status(r.runs(b), "skipped");
    EXPECT_EQ(skipped, 1u);
    const Json rows = count_status(r.runs(a), "skipped") ? r.runs(a) : r.runs(b);
    EXPECT_NE(rows[0].value("error", "").find("max_concurrent_cron_runs"), std::string::npos);
}

TEST(CronService, DeliveryEnqueuesResultsAndErrorsWithTheRunsKey) {
    Rig r;
    const std::string id = r.add({{"schedule", {{"kind", "every"}, {"every", "1h"}}},
                                  {"delivery", {{"channelId", "chan.mail"}, {"to", "alice"}}}})["id"];
    r.run_for(hours(1), hours(1));
    r.service->tick();
    auto items = r.outbox->list(std::nullopt, 10);
    ASSERT_TRUE(items);
    ASSERT_EQ(items->size(), 1u);
    const auto& ok = items->front();
    EXPECT_EQ(ok.text, "the answer");
    EXPECT_EQ(ok.channel_id, "chan.mail");
    EXPECT_EQ(ok.to, "alice");
    EXPECT_EQ(ok.idempotency_key, "cron:" + id + ":" + r.runs(id)[0].value("id", ""));
    EXPECT_EQ(ok.source.value("kind", ""), "cron");

    r.fake.finish_as = "failed";
    r.run_for(hours(1), hours(1));
    items = r.outbox->list(std::nullopt, 10);
    ASSERT_EQ(items->size(), 2u);
    EXPECT_NE(items->front().text.find("ended error: model refused"), std::string::npos);

    // The outbox sends them through whatever sender the channels install.
    auto sender = std::make_shared<RecordingSender>();
    r.outbox->set_sender(sender);
    EXPECT_EQ(r.outbox->deliver_due(), 2u);
    EXPECT_EQ(sender->sent.size(), 2u);
}

TEST(CronService, ADeliveryToAnUnknownChannelIsRefusedByName) {
    Rig r;
    auto bad = r.service->add({{"name", "x"}, {"prompt", "p"}, {"workspace", "/work/ws"},
                               {"schedule", {{"kind", "every"}, {"every", "1h"}}},
                               {"delivery", {{"channelId", "chan.gone"}, {"to", "a"}}}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().details.value("field", ""), "delivery.channelId");
    EXPECT_NE(bad.error().message.find("no channel chan.gone"), std::string::npos);
    const std::string id = r.add({{"schedule", {{"kind", "every"}, {"every", "1h"}}}})["id"];
    auto update = r.service->update({{"id", id}, {"delivery", {{"channelId", "chan.gone"}, {"to", "a"}}}});
    ASSERT_FALSE(update);
    EXPECT_EQ(update.error().details.value("field", ""), "delivery.channelId");
}

TEST(CronService, OnlyIfResultSkipsEmptyResults_OnErrorFalseSkipsErrors) {
    Rig r;
    r.fake.result_text = "";
    r.add({{"schedule", {{"kind", "every"}, {"every", "1h"}}},
           {"delivery", {{"channelId", "chan.mail"}, {"to", "a"}, {"onlyIfResult", true}, {"onError", false}}}});
    r.run_for(hours(1), hours(1));
    r.service->tick();
    r.fake.finish_as = "failed";
    r.run_for(hours(1), hours(1));
    r.service->tick();
    EXPECT_EQ(r.fake.count(), 2u);
    EXPECT_TRUE(r.outbox->list(std::nullopt, 10)->empty());
}

TEST(CronService, RestartKeepsJobsAndHistoryAndAppliesMissedRunPolicies) {
    Rig r;
    const std::string once = r.add({{"name", "once"}, {"schedule", {{"kind", "every"}, {"every", "1h"}}}})["id"];
    const std::string skip = r.add({{"name", "skip"}, {"missedRunPolicy", "skip"},
                                    {"schedule", {{"kind", "every"}, {"every", "1h"}}}})["id"];
    r.run_for(hours(2), minutes(30));
    EXPECT_EQ(r.fake.count(), 4u);

    r.close();                      // the kernel stops…
    r.clock.advance(minutes(330));  // …for 5.5 hours (5 occurrences missed), then boots again
    r.open();
    EXPECT_EQ(r.runs(once).size(), 2u);  // history survived
    EXPECT_EQ(r.job(skip)["missedRunPolicy"], "skip");
    r.service->tick();
    // run_once: one catch-up run; skip: none.
    EXPECT_EQ(r.runs(once).size(), 3u);
    EXPECT_EQ(r.runs(once)[0]["trigger"], "catch_up");
    EXPECT_EQ(r.runs(skip).size(), 2u);
    // Both continue on their rhythm afterwards.
    r.run_for(minutes(30), minutes(30));
    EXPECT_EQ(r.runs(once).size(), 4u);
    EXPECT_EQ(r.runs(skip).size(), 3u);
}

TEST(CronService, ARunLeftRunningByACrashIsClosedAtBoot) {
    Rig r;
    r.fake.finish_as = "";
    const std::string id = r.add({{"schedule", {{"kind", "every"}, {"every", "1h"}}}})["id"];
    r.run_for(hours(1), hours(1));
    EXPECT_EQ(r.runs(id)[0]["status"], "running");
    r.restart();
    const Json run = r.runs(id)[0];
    EXPECT_EQ(run["status"], "error");
    EXPECT_NE(run.value("error", "").find("cowork task resume task_1"), std::string::npos);
}

TEST(CronService, RunNowRespectsEnabledUnlessForced) {
    Rig r;
    const std::string id =
        r.add({{"enabled", false}, {"schedule", {{"kind", "cron"}, {"expr", "0 9 * * *"}}}})["id"];
    auto refused = r.service->run({{"id", id}});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("force"), std::string::npos);
    auto forced = r.service->run({{"id", id}, {"force", true}});
    ASSERT_TRUE(forced) << forced.error().message;
    EXPECT_EQ((*forced)["trigger"], "manual");
    EXPECT_EQ(r.fake.count(), 1u);
    auto unknown = r.service->run({{"id", "nope"}});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, api::kInvalidParams);
}

TEST(CronService, UpdateIsPartialAndValidated) {
    Rig r;
    const std::string id = r.add({{"schedule", {{"kind", "every"}, {"every", "1h"}}}})["id"];
    auto updated = r.service->update({{"id", id}, {"prompt", "new {{job_name}}"}, {"name", "renamed"}});
    ASSERT_TRUE(updated) << updated.error().message;
    EXPECT_EQ((*updated)["prompt"], "new {{job_name}}");
    EXPECT_EQ((*updated)["schedule"]["every"], "1h");
    auto bad = r.service->update({{"id", id}, {"schedule", {{"kind", "cron"}, {"expr", "61 * * * *"}}}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().details.value("field", ""), "schedule.expr");
    auto disabled = r.service->update({{"id", id}, {"enabled", false}});
    ASSERT_TRUE(disabled);
    r.run_for(hours(3), hours(1));
    EXPECT_EQ(r.fake.count(), 0u);  // disabled jobs do not run
    ASSERT_TRUE(r.service->update({{"id", id}, {"enabled", true}}));
    r.run_for(hours(1), hours(1));
    EXPECT_EQ(r.fake.count(), 1u);  // no catch-up for the disabled hours
    EXPECT_EQ(r.fake.task(0).params.value("prompt", ""), "new renamed");
}

TEST(CronService, AtJobRunsOnceAndIsDeletedAfterASuccessfulRun) {
    Rig r;
    const std::string id = r.add({{"deleteAfterRun", true}, {"schedule", {{"kind", "at"}, {"at", "2026-03-01T00:10:00Z"}}}})["id"];
    r.run_for(minutes(30), minutes(5));
    EXPECT_EQ(r.fake.count(), 1u);
    EXPECT_FALSE(r.service->get({{"id", id}}));
    auto removed = r.service->remove({{"id", "job"}});
    EXPECT_FALSE(removed);
}

TEST(CronService, WakeNowRunsWakeJobsWithTheTextDefanged) {
    Rig r;
    r.add({{"name", "waker"}, {"runOnWake", true}, {"prompt", "Woken: {{wake_text}}"},
           {"schedule", {{"kind", "cron"}, {"expr", "0 9 * * *"}}}});
    r.add({{"name", "sleeper"}, {"schedule", {{"kind", "cron"}, {"expr", "0 9 * * *"}}}});
    auto woke = r.service->wake({{"text", "mail from {{job_name}}"}, {"mode", "now"}});
    ASSERT_TRUE(woke) << woke.error().message;
    ASSERT_EQ((*woke)["runs"].size(), 1u);
    ASSERT_EQ(r.fake.count(), 1u);
    EXPECT_EQ(r.fake.task(0).params.value("prompt", ""), "Woken: mail from { {job_name}}");
    EXPECT_FALSE(r.service->wake({{"text", "x"}, {"mode", "later"}}));
}

TEST(CronService, WakeNextHandsTheTextToTheNextScheduledRun) {
    Rig r;
    const std::string id = r.add({{"runOnWake", true}, {"prompt", "[{{wake_text}}]"},
                                  {"schedule", {{"kind", "every"}, {"every", "1h"}}}})["id"];
    auto woke = r.service->wake({{"text", "new mail"}, {"mode", "next"}});
    ASSERT_TRUE(woke);
    EXPECT_EQ(r.fake.count(), 0u);
    EXPECT_EQ(r.job(id)["state"]["pendingWake"], true);
    r.run_for(hours(2), hours(1));
    ASSERT_EQ(r.fake.count(), 2u);
    EXPECT_EQ(r.fake.task(0).params.value("prompt", ""), "[new mail]");
    EXPECT_EQ(r.fake.task(1).params.value("prompt", ""), "[]");  // used once
}

TEST(CronService, TriggerNeedsTheConfiguredSecret) {
    Rig r;
    r.add({{"name", "hook"}, {"schedule", {{"kind", "cron"}, {"expr", "0 9 * * *"}}}});
    auto none = r.service->trigger({{"jobName", "hook"}, {"secret", "anything"}});
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("cowork secret set cron.trigger_secret"), std::string::npos);
    r.secret = "s3cret-value";
    auto wrong = r.service->trigger({{"jobName", "hook"}, {"secret", "s3cret-valuf"}});
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, api::kUnauthorized);
    EXPECT_EQ(r.fake.count(), 0u);
    auto right = r.service->trigger({{"jobName", "hook"}, {"secret", "s3cret-value"}});
    ASSERT_TRUE(right) << right.error().message;
    EXPECT_EQ((*right)["trigger"], "webhook");
    EXPECT_EQ(r.fake.count(), 1u);
}

// The CLI's kernel edits jobs and files requests; the daemon's carries them out.
TEST(CronService, ANonDrivingKernelQueuesRunsForTheDaemon) {
    Rig daemon;
    CronDeps deps{*daemon.db, daemon.fake.api, daemon.clock, daemon.outbox.get(), nullptr,
                  [](const std::string&) { return ok_status(); }, nullptr};
    auto cli = CronService::create(deps, CronOptions{.drive = false});
    ASSERT_TRUE(cli);
    auto added = (*cli)->add({{"name", "from-cli"}, {"prompt", "p"}, {"workspace", "/work/ws"},
                              {"schedule", {{"kind", "every"}, {"every", "1h"}}}});
    ASSERT_TRUE(added) << added.error().message;
    auto queued = (*cli)->run({{"id", "from-cli"}});
    ASSERT_TRUE(queued);
    EXPECT_EQ((*queued)["queued"], true);
    (*cli)->tick();  // a non-driving kernel never runs anything itself
    EXPECT_EQ(daemon.fake.count(), 0u);
    daemon.service->tick();
    EXPECT_EQ(daemon.fake.count(), 1u);
    daemon.run_for(hours(1), hours(1));  // and the daemon now schedules the CLI's job
    EXPECT_EQ(daemon.fake.count(), 2u);
}

}  // namespace
}  // namespace cowork::kernel::cron
