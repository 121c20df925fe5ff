// The agent runtime end to end: the real `cowork` binary runs tasks against
// the scripted LLM fixture (tests/fixtures/llm-scripted) and the bundled
// tool.files plugin; approvals are answered on stdin (--approve-stdin).
#include "process_helpers.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace cowork::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json text_part(const std::string& text) { return {{"type", "text"}, {"text", text}}; }

json call_part(const std::string& id, const std::string& tool, json args) {
    return {{"type", "tool_call"}, {"id", id}, {"name", tool}, {"arguments", std::move(args)}};
}

json turn(json parts, json extra = json::object()) {
    extra["message"] = {{"role", "assistant"}, {"content", std::move(parts)}};
    return extra;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<json> log_lines(const fs::path& script) {
    std::vector<json> out;
    std::ifstream in(script.string() + ".log");
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
    return out;
}

// A workspace folder, a script file and the argv/env to run `cowork` on them.
struct AgentRig {
    Home home;
    fs::path workspace = home.path() / "ws";
    fs::path script = home.path() / "script.json";

    AgentRig() {
        fs::create_directories(workspace);
        std::ofstream(workspace / "notes.txt") << "remember the milk\n";
    }
    void write_script(const json& turns) { std::ofstream(script) << json{{"model", "scripted-1"}, {"turns", turns}}.dump(2); }
    std::map<std::string, std::string> env() const { return {{"COWORK_SCRIPTED_LLM", script.string()}}; }

    std::vector<std::string> cowork(std::vector<std::string> args) const {
        std::vector<std::string> argv{bin("cowork").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"--plugin-dir", fixture_plugins().string()});
        return argv;
    }
    std::vector<std::string> run_args(const std::string& prompt, std::vector<std::string> extra = {}) const {
        std::vector<std::string> a{"run"};
        if (!prompt.empty()) a.push_back(prompt);
        a.insert(a.end(), {"--workspace", workspace.string(), "--provider", "llm.scripted"});
        a.insert(a.end(), extra.begin(), extra.end());
        return cowork(a);
    }
    e2e::Run call(std::vector<std::string> args, const std::string& input = "") const {
        return run(cowork(std::move(args)), home, input, env());
    }
    json task_json(const std::string& id) const { return call({"task", "show", id, "--json"}).json(); }
    json events(const std::string& id) const { return call({"task", "events", id, "--json"}).json(); }
    std::string only_task_id() const {
        const json list = call({"task", "list", "--json"}).json();
        return list.is_array() && list.size() == 1 ? list[0].value("id", "") : "";
    }
};

// The journal's event types, in order.
std::vector<std::string> types_of(const json& events) {
    std::vector<std::string> t;
    for (const auto& e : events) t.push_back(e.value("type", ""));
    return t;
}

// Index of the first `type` at or after `from`; npos when absent.
size_t find_from(const std::vector<std::string>& types, const std::string& type, size_t from = 0) {
    for (size_t i = from; i < types.size(); ++i)
        if (types[i] == type) return i;
    return std::string::npos;
}

// Read notes.txt, then write copy.txt (policy asks), then a final text turn.
json read_then_write_script() {
    return json::array({turn(json::array({text_part("Reading the notes."),
                                          call_part("c1", "tool.files.read_file", {{"path", "notes.txt"}})}),
                             {{"deltas", {"Reading ", "the notes."}}}),
                        turn(json::array({call_part("c2", "tool.files.write_file",
                                                    {{"path", "copy.txt"}, {"content", "remember the milk\n"}})})),
                        turn(json::array({text_part("Copied notes.txt to copy.txt.")}))});
}

TEST(AgentE2E, RunReadsWritesAfterApprovalAndJournalsEverything) {
    AgentRig rig;
    rig.write_script(read_then_write_script());
    const e2e::Run r = run(rig.run_args("copy notes.txt to copy.txt", {"--approve-stdin"}), rig.home, "y\n", rig.env());
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(read_file(rig.workspace / "copy.txt"), "remember the milk\n");
    EXPECT_NE(r.out.find("Reading the notes."), std::string::npos) << "streamed text reaches stdout: " << r.out;

    const std::string id = rig.only_task_id();
    ASSERT_FALSE(id.empty());
    const json task = rig.task_json(id);
    EXPECT_EQ(task.value("status", ""), "completed") << task.dump(2);
    EXPECT_EQ(task["result"].value("text", ""), "Copied notes.txt to copy.txt.");

    const json events = rig.events(id);
    const auto types = types_of(events);
    // llm call → read call/result → llm call → write call → approval asked,
    // approved → write result → final llm call → completed, in that order.
    size_t at = 0;
    for (const char* expected : {"llm.call", "tool.call", "tool.result", "llm.call", "tool.call", "approval.requested",
                                 "approval.decided", "tool.result", "llm.call", "task.completed"}) {
        const size_t next = find_from(types, expected, at);
        ASSERT_NE(next, std::string::npos) << expected << " missing after row " << at << " in " << events.dump(1);
        at = next + 1;
    }
    for (const auto& e : events) {
        if (e["type"] == "approval.decided") {
            EXPECT_EQ(e["payload"].value("decision", ""), "approved");
        }
    }
    // The model saw the file's content as the read's result.
    const auto log = log_lines(rig.script);
    ASSERT_EQ(log.size(), 3u);
    EXPECT_NE(log[1]["last"].dump().find("remember the milk"), std::string::npos) << log[1].dump();
}

TEST(AgentE2E, DeniedWriteReachesTheModelAndTheTaskStillCompletes) {
    AgentRig rig;
    json turns = read_then_write_script();
    turns[2] = turn(json::array({text_part("Understood, I left the folder unchanged.")}));
    rig.write_script(turns);
    const e2e::Run r = run(rig.run_args("copy notes.txt", {"--approve-stdin"}), rig.home, "n\n", rig.env());
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_FALSE(fs::exists(rig.workspace / "copy.txt")) << "a denied write never runs";

    const std::string id = rig.only_task_id();
    EXPECT_EQ(rig.task_json(id).value("status", ""), "completed");
    bool denied_row = false;
    for (const auto& e : rig.events(id))
        if (e["type"] == "approval.decided") denied_row = e["payload"].value("decision", "") == "denied";
    EXPECT_TRUE(denied_row);
    // The third request shows the model the denial as an error tool result.
    const auto log = log_lines(rig.script);
    ASSERT_EQ(log.size(), 3u);
    const json result = log[2]["last"]["content"][0];
    EXPECT_EQ(result.value("type", ""), "tool_result");
    EXPECT_TRUE(result.value("isError", false));
    EXPECT_NE(result.value("content", "").find("denied"), std::string::npos) << result.dump();
}

TEST(AgentE2E, WithoutAnswersOnStdinAWriteIsDeniedNotHung) {
    AgentRig rig;
    rig.write_script(read_then_write_script());
    // No --approve-stdin and no terminal: the CLI cannot ask, so it denies.
    const e2e::Run r = run(rig.run_args("copy notes.txt"), rig.home, "y\n", rig.env());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(rig.workspace / "copy.txt"));
    EXPECT_NE(r.err.find("--approve-stdin"), std::string::npos) << r.err;
}

TEST(AgentE2E, KillNineMidTurnLeavesAnInterruptedTaskThatResumesToCompletion) {
    AgentRig rig;
    // Turn 2 holds its answer for 10 minutes: the process is killed inside it.
    rig.write_script(json::array({turn(json::array({call_part("c1", "tool.files.read_file", {{"path", "notes.txt"}})})),
                                  turn(json::array({text_part("never delivered")}), {{"delayMs", 600000}}),
                                  turn(json::array({text_part("Resumed and finished.")}))}));
    const fs::path output = rig.home.path() / "background.log";
    const pid_t pid = spawn_background(rig.run_args("read the notes"), rig.home, rig.env(), output);
    ASSERT_GT(pid, 0);

    // The read's tool.result row proves turn 1 is done and turn 2 has been asked for.
    std::string id;
    bool mid_turn = false;
    for (int i = 0; i < 600 && !mid_turn; ++i) {
        if (id.empty()) id = rig.only_task_id();
        if (!id.empty())
            for (const auto& e : rig.events(id)) mid_turn = mid_turn || e["type"] == "tool.result";
        if (!mid_turn) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // Wait until the scripted model has taken turn 2 (its log line is written when it starts the delay).
    for (int i = 0; i < 600 && log_lines(rig.script).size() < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(mid_turn) << "the task never reached its second turn; cowork printed:\n" << read_file(output);
    ASSERT_EQ(log_lines(rig.script).size(), 2u);
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));

    const json list = rig.call({"task", "list", "--json"}).json();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].value("status", ""), "interrupted") << list.dump(2);
    const auto before = types_of(rig.events(id));
    EXPECT_NE(find_from(before, "tool.result"), std::string::npos) << "the history survived the kill";

    const e2e::Run resumed = rig.call({"task", "resume", id});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    const json task = rig.task_json(id);
    EXPECT_EQ(task.value("status", ""), "completed");
    EXPECT_EQ(task["result"].value("text", ""), "Resumed and finished.");
    // The resumed conversation still holds the read's result from before the kill.
    const auto log = log_lines(rig.script);
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[2]["turn"], 2);
}

TEST(AgentE2E, NoProviderConfiguredSaysHowToConfigureOne) {
    AgentRig rig;
    // Bundled providers (Ollama needs no key) are switched off, and the
    // scripted fixture is not on the plugin path: no provider runs.
    const json plugins = run({bin("cowork").string(), "plugins", "list", "--json"}, rig.home).json();
    json disabled = json::array();
    for (const auto& p : plugins)
        if (p.value("type", "") == "llm") disabled.push_back(p.value("id", ""));
    const fs::path config = rig.home.path() / "cowork.toml";
    std::ofstream(config) << "[kernel]\ndisabled_plugins = " << disabled.dump() << "\n";
    const e2e::Run r = run({bin("cowork").string(), "run", "hello", "--workspace", rig.workspace.string(), "--config",
                       config.string()},
                      rig.home);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("OPENAI_API_KEY"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ANTHROPIC_API_KEY"), std::string::npos) << r.err;
}

TEST(AgentE2E, SkillRunRendersTheSkillIntoThePromptAndRecordsIt) {
    AgentRig rig;
    rig.write_script(json::array({turn(json::array({text_part("Reviewed src.")}))}));
    const e2e::Run r = run(rig.run_args("", {"--skill", "code-review", "--param", "path=src"}), rig.home, "", rig.env());
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto log = log_lines(rig.script);
    ASSERT_EQ(log.size(), 1u);
    const std::string prompt = log[0]["last"]["content"][0].value("text", "");
    EXPECT_EQ(prompt.rfind("Review src in this workspace.", 0), 0u) << prompt;
    // The system prompt lists the skills so the model knows they exist.
    EXPECT_NE(log[0].value("system", "").find("- write-tests:"), std::string::npos);

    const std::string id = rig.only_task_id();
    EXPECT_EQ(rig.task_json(id)["source"].value("skill", ""), "code-review");
    const json created = rig.events(id)[0];
    EXPECT_EQ(created.value("type", ""), "task.created");
    EXPECT_EQ(created["payload"].value("skill", ""), "code-review");
    EXPECT_EQ(created["payload"]["params"].value("path", ""), "src");

    // A missing required parameter is refused before any task exists, naming it.
    const e2e::Run missing = run(rig.run_args("", {"--skill", "code-review", "--json"}), rig.home, "", rig.env());
    EXPECT_NE(missing.exit_code, 0);
    EXPECT_NE(missing.err.find("'path'"), std::string::npos) << missing.err;
    EXPECT_EQ(missing.json()["error"].value("code", ""), "INVALID_PARAMS") << missing.out;
    EXPECT_EQ(rig.call({"task", "list", "--json"}).json().size(), 1u) << "no task was created for it";

    const e2e::Run listed = rig.call({"skills", "--workspace", rig.workspace.string()});
    EXPECT_EQ(listed.exit_code, 0);
    EXPECT_NE(listed.out.find("code-review"), std::string::npos) << listed.out;
}

}  // namespace
}  // namespace cowork::e2e
