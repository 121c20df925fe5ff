// The cron service end to end: a job added with the real `cowork` CLI is
// picked up by the real `coworkd`, runs at its time as a real agent task
// against the scripted LLM fixture (tests/fixtures/llm-scripted), completes,
// is recorded in the run history, and its result is delivered through the
// outbox to a real channel (the channel.loopback fixture, which appends to a
// file); jobs and history are still there after the daemon restarts.
#include "process_helpers.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace cowork::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CronRig {
    Home home;
    fs::path workspace = home.path() / "ws";
    fs::path script = home.path() / "script.json";

    explicit CronRig(const std::vector<std::string>& replies) {
        fs::create_directories(workspace);
        workspace = fs::canonical(workspace);
        json turns = json::array();
        for (const auto& text : replies)
            turns.push_back({{"message", {{"role", "assistant"}, {"content", {{{"type", "text"}, {"text", text}}}}}}});
        std::ofstream(script) << json{{"model", "scripted-1"}, {"turns", turns}}.dump(2);
        // coworkd inherits this process's environment; the CLI gets it explicitly.
        ::setenv("COWORK_SCRIPTED_LLM", script.string().c_str(), 1);
    }
    ~CronRig() { ::unsetenv("COWORK_SCRIPTED_LLM"); }

    std::vector<std::string> daemon_args() const { return {"--plugin-dir", fixture_plugins().string()}; }

    // `cowork api call METHOD --params JSON --json`; the parsed answer.
    json api(const std::string& method, const json& params, int* exit_code = nullptr) const {
        const Run r = run({bin("cowork").string(), "api", "call", method, "--params", params.dump(), "--json",
                           "--plugin-dir", fixture_plugins().string()},
                          home, "", {{"COWORK_SCRIPTED_LLM", script.string()}});
        if (exit_code) *exit_code = r.exit_code;
        return r.json();
    }

    bool register_workspace() const {
        return api("workspace.create", {{"path", workspace.string()}}).value("id", "").rfind("ws_", 0) == 0;
    }

    // Polls the run history until a run settles (or about a minute passes).
    json settled_run(const std::string& job, size_t count = 1) const {
        for (int i = 0; i < 600; ++i) {
            const json runs = api("cron.runs", {{"id", job}});
            size_t settled = 0;
            if (runs.is_array())
                for (const auto& r : runs) settled += r.value("status", "") != "running";
            if (settled >= count) return runs;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return json::array();
    }
};

int64_t unix_ms_from_now(std::chrono::seconds ahead) {
    using namespace std::chrono;
    return duration_cast<milliseconds>((system_clock::now() + ahead).time_since_epoch()).count();
}

TEST(CronE2E, AJobAddedByTheCliRunsInTheDaemonAsARealTask) {
    CronRig rig({"Cron says hello."});
    Daemon daemon(rig.home, rig.daemon_args());
    ASSERT_TRUE(daemon.ready());
    ASSERT_TRUE(rig.register_workspace());
    const fs::path delivered = rig.home.path() / "delivered.jsonl";
    const json channel = rig.api("channel.create", {{"plugin", "channel.loopback"},
                                                    {"name", "cron-out"},
                                                    {"config", {{"file", delivered.string()}}}});
    const std::string channel_id = channel.value("id", "");
    ASSERT_FALSE(channel_id.empty()) << channel.dump(2);

    int code = -1;
    const json unknown_channel = rig.api("cron.add", {{"name", "nowhere"}, {"prompt", "p"}, {"workspace", rig.workspace.string()},
                                                      {"schedule", {{"kind", "every"}, {"every", "1h"}}},
                                                      {"delivery", {{"channelId", "ch_missing"}, {"to", "x"}}}},
                                         &code);
    EXPECT_EQ(code, 1);
    EXPECT_NE(unknown_channel["error"].value("message", "").find("params.delivery.channelId"), std::string::npos)
        << unknown_channel.dump(2);

    const json added = rig.api("cron.add",
                               {{"name", "e2e-job"},
                                {"prompt", "Greet from {{job_name}} on {{today}}; wake: [{{wake_text}}] {{unknown}}"},
                                {"workspace", rig.workspace.string()},
                                {"provider", "llm.scripted"},
                                {"schedule", {{"kind", "at"}, {"at", unix_ms_from_now(std::chrono::seconds(2))}, {"tz", "UTC"}}},
                                {"delivery", {{"channelId", channel_id}, {"to", "someone"}}}},
                               &code);
    ASSERT_EQ(code, 0) << added.dump(2);
    const std::string id = added.value("id", "");
    ASSERT_FALSE(id.empty()) << added.dump(2);

    const json runs = rig.settled_run(id);
    ASSERT_EQ(runs.size(), 1u) << "the daemon never ran the job; runs: " << runs.dump(2);
    const json run = runs[0];
    EXPECT_EQ(run.value("status", ""), "ok") << run.dump(2);
    EXPECT_EQ(run.value("trigger", ""), "schedule");
    const std::string task_id = run["taskId"].is_string() ? run["taskId"].get<std::string>() : "";
    ASSERT_FALSE(task_id.empty());

    // A real task, created by the job's caller, completed with the model's text.
    const json task = rig.api("task.get", {{"id", task_id}});
    EXPECT_EQ(task.value("status", ""), "completed") << task.dump(2);
    EXPECT_EQ(task["result"].value("text", ""), "Cron says hello.");
    // The task row says which job and run started it, beside the kernel's own transport.
    EXPECT_EQ(task["source"]["origin"].value("kind", ""), "cron") << task.dump(2);
    EXPECT_EQ(task["source"]["origin"].value("jobId", ""), id);
    EXPECT_EQ(task["source"]["origin"].value("runId", ""), run.value("id", ""));
    const std::string prompt = task.value("prompt", "");
    EXPECT_EQ(prompt.rfind("Greet from e2e-job on 20", 0), 0u) << prompt;
    EXPECT_NE(prompt.find("wake: [] {{unknown}}"), std::string::npos) << prompt;

    const json job = rig.api("cron.get", {{"id", "e2e-job"}});
    EXPECT_EQ(job["state"].value("lastStatus", ""), "ok") << job.dump(2);
    EXPECT_EQ(job["state"].value("lastTaskId", ""), task_id);
    EXPECT_EQ(job["state"]["totals"].value("ok", 0), 1);
    EXPECT_TRUE(job["state"]["nextRunAt"].is_null()) << "an `at` job has no next run";

    // The result goes through the outbox to the channel, under the run's key.
    const std::string key = "cron:" + id + ":" + run.value("id", "");
    json item = json::object();
    for (int i = 0; i < 600 && item.value("state", "") != "delivered"; ++i) {
        for (const auto& it : rig.api("outbox.list", json::object()))
            if (it.value("idempotencyKey", "") == key) item = it;
        if (item.value("state", "") != "delivered") std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(item.value("state", ""), "delivered") << item.dump(2);
    EXPECT_EQ(item.value("text", ""), "Cron says hello.");
    EXPECT_EQ(item.value("channelId", ""), channel_id);
    std::ifstream lines(delivered);
    std::string line;
    ASSERT_TRUE(std::getline(lines, line)) << "nothing reached the channel's file";
    const json sent = json::parse(line);
    EXPECT_EQ(sent.value("text", ""), "Cron says hello.");
    EXPECT_EQ(sent.value("chatId", ""), "someone");
    EXPECT_EQ(sent.value("idempotencyKey", ""), key);
    EXPECT_FALSE(std::getline(lines, line)) << "delivered once: " << line;

    // Jobs and history survive a restart of the daemon.
    EXPECT_EQ(daemon.stop(SIGTERM), 0);
    Daemon again(rig.home, rig.daemon_args());
    ASSERT_TRUE(again.ready());
    const json after = rig.api("cron.runs", {{"id", id}});
    ASSERT_EQ(after.size(), 1u) << after.dump(2);
    EXPECT_EQ(after[0].value("status", ""), "ok");
    EXPECT_EQ(again.stop(SIGTERM), 0);
}

TEST(CronE2E, CronRunFromTheCliIsCarriedOutByTheDaemon_ErrorsNameTheField) {
    CronRig rig({"Ran on request."});
    Daemon daemon(rig.home, rig.daemon_args());
    ASSERT_TRUE(daemon.ready());

    int code = -1;
    const json unregistered = rig.api("cron.add", {{"name", "early"}, {"prompt", "p"}, {"workspace", rig.workspace.string()},
                                                   {"schedule", {{"kind", "every"}, {"every", "1h"}}}},
                                      &code);
    EXPECT_EQ(code, 1);
    EXPECT_NE(unregistered["error"].value("message", "").find("params.workspace"), std::string::npos)
        << unregistered.dump(2);
    ASSERT_TRUE(rig.register_workspace());

    const json bad = rig.api("cron.add",
                             {{"name", "bad"}, {"prompt", "p"}, {"workspace", rig.workspace.string()},
                              {"schedule", {{"kind", "cron"}, {"expr", "0 9 * * *"}, {"tz", "Mars/Base"}}}},
                             &code);
    EXPECT_EQ(code, 1);
    EXPECT_EQ(bad["error"].value("code", ""), "INVALID_PARAMS") << bad.dump(2);
    EXPECT_NE(bad["error"].value("message", "").find("schedule.tz"), std::string::npos) << bad.dump(2);

    const json added = rig.api("cron.add", {{"name", "manual"}, {"prompt", "Do it"}, {"workspace", rig.workspace.string()},
                                            {"provider", "llm.scripted"},
                                            {"schedule", {{"kind", "cron"}, {"expr", "0 0 1 1 *"}}}});
    const std::string id = added.value("id", "");
    ASSERT_FALSE(id.empty()) << added.dump(2);
    const json queued = rig.api("cron.run", {{"id", "manual"}});
    EXPECT_EQ(queued.value("queued", false), true) << queued.dump(2);

    const json runs = rig.settled_run(id);
    ASSERT_EQ(runs.size(), 1u) << runs.dump(2);
    EXPECT_EQ(runs[0].value("status", ""), "ok") << runs.dump(2);
    EXPECT_EQ(runs[0].value("trigger", ""), "manual");
    ASSERT_TRUE(runs[0]["taskId"].is_string());
    const json task = rig.api("task.get", {{"id", runs[0]["taskId"].get<std::string>()}});
    EXPECT_EQ(task["result"].value("text", ""), "Ran on request.");
    EXPECT_EQ(daemon.stop(SIGTERM), 0);
}

}  // namespace
}  // namespace cowork::e2e
