// An agent task end to end: the real `cowork run` with the scripted LLM
// fixture calls tool.mcp.filesystem.read_file (server-filesystem confined to
// the workspace) and tool.mcp.everything.echo through the policy engine (both
// ask: MCP tools are not read-only unless the operator says so), the
// approvals come on stdin, and the task completes. Afterwards no MCP server
// process is left.
#include "process_helpers.hpp"

#include "mcp_test_support.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace cowork::mcp {
namespace {

using nlohmann::json;
namespace e2e = cowork::e2e;
namespace fs = std::filesystem;

json call_part(const std::string& id, const std::string& tool, json args) {
    return {{"type", "tool_call"}, {"id", id}, {"name", tool}, {"arguments", std::move(args)}};
}
json turn(json parts) { return {{"message", {{"role", "assistant"}, {"content", std::move(parts)}}}}; }

// Processes whose command line mentions `needle`.
std::vector<int> processes_mentioning(const std::string& needle) {
    std::vector<int> out;
    for (const auto& e : fs::directory_iterator("/proc")) {
        const std::string name = e.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::string cmd = testing::read_file((e.path() / "cmdline").string());
        for (auto& c : cmd)
            if (c == '\0') c = ' ';
        if (cmd.find(needle) != std::string::npos) out.push_back(std::stoi(name));
    }
    return out;
}

TEST(McpAgentE2E, TaskReadsAFileAndEchoesThroughMcpServers) {
    std::string why;
    const std::string npm = testing::npm_peers(why);
    if (npm.empty()) GTEST_SKIP() << why;
    e2e::Home home;
    const fs::path ws = home.path() / "ws";
    fs::create_directories(ws);
    std::ofstream(ws / "notes.txt") << "remember the milk\n";
    fs::create_directories(home.path() / "config");
    std::ofstream(home.path() / "config" / "cowork.toml")
        << "[plugins.\"tool.mcp\".servers.filesystem]\ncommand = \"node\"\nargs = [" << json(testing::filesystem_js(npm)).dump()
        << ", " << json(ws.string()).dump() << "]\n\n"
        << "[plugins.\"tool.mcp\".servers.everything]\ncommand = \"node\"\nargs = [" << json(testing::everything_js(npm)).dump()
        << ", \"stdio\"]\n";
    const fs::path script = home.path() / "script.json";
    std::ofstream(script) << json{{"model", "scripted-1"},
                                  {"turns",
                                   {turn({call_part("c1", "tool.mcp.filesystem.read_file", {{"path", (ws / "notes.txt").string()}})}),
                                    turn({call_part("c2", "tool.mcp.everything.echo", {{"message", "milk noted"}})}),
                                    turn({{{"type", "text"}, {"text", "Read the notes and echoed them."}}})}}}
                                 .dump();
    const std::vector<std::string> argv{e2e::bin("cowork").string(), "run", "read notes.txt and echo it",
                                        "--workspace", ws.string(), "--provider", "llm.scripted", "--approve-stdin",
                                        "--plugin-dir", e2e::fixture_plugins().string()};
    const e2e::Run r = e2e::run(argv, home, "y\ny\n", {{"COWORK_SCRIPTED_LLM", script.string()}});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

    const e2e::Run list = e2e::run({e2e::bin("cowork").string(), "task", "list", "--json", "--plugin-dir", e2e::fixture_plugins().string()},
                                   home, "", {{"COWORK_SCRIPTED_LLM", script.string()}});
    const json tasks = list.json();
    ASSERT_TRUE(tasks.is_array() && tasks.size() == 1) << list.out << list.err;
    const std::string id = tasks[0].value("id", "");
    const json task = e2e::run({e2e::bin("cowork").string(), "task", "show", id, "--json", "--plugin-dir", e2e::fixture_plugins().string()},
                               home, "", {{"COWORK_SCRIPTED_LLM", script.string()}}).json();
    EXPECT_EQ(task.value("status", ""), "completed") << task.dump(2);
    const json events = e2e::run({e2e::bin("cowork").string(), "task", "events", id, "--json", "--plugin-dir",
                                  e2e::fixture_plugins().string()},
                                 home, "", {{"COWORK_SCRIPTED_LLM", script.string()}}).json();
    const std::string all = events.dump();
    EXPECT_NE(all.find("remember the milk"), std::string::npos) << "read_file's result reached the task: " << all.substr(0, 2000);
    EXPECT_NE(all.find("Echo: milk noted"), std::string::npos) << all.substr(0, 2000);
    int asked = 0;
    for (const auto& e : events) asked += e.value("type", "") == "approval.requested";
    EXPECT_EQ(asked, 2) << "MCP tools ask by default";
    EXPECT_TRUE(processes_mentioning(ws.string()).empty()) << "the filesystem server outlived cowork";
}

// The plugin's mcp.* methods through the kernel's API in a running coworkd
// (the CLI as a control-plane client): registered from the manifest's
// "api", scope-checked by the kernel, and a server added with mcp.add is
// still there after a restart.
TEST(McpDaemonE2E, PluginMethodsAndMcpAddSurviveARestart) {
    std::string why;
    const std::string npm = testing::npm_peers(why);
    if (npm.empty()) GTEST_SKIP() << why;
    e2e::Home home;
    auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), e2e::bin("cowork").string());
        args.push_back("--remote");  // through coworkd's control plane, where the plugin runs
        return e2e::run(args, home);
    };
    const json add_params{{"name", "ev"}, {"command", "node"}, {"args", {testing::everything_js(npm), "stdio"}}};
    {
        e2e::Daemon d(home, {});
        ASSERT_TRUE(d.ready());
        const json methods = cli({"api", "methods", "--json"}).json();
        ASSERT_TRUE(methods.dump().find("\"mcp.list\"") != std::string::npos) << methods.dump().substr(0, 2000);
        const e2e::Run added = cli({"api", "call", "mcp.add", "--params", add_params.dump(), "--json"});
        ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
        EXPECT_EQ(added.json().value("added", ""), "ev") << added.out;
        EXPECT_TRUE(testing::eventually([&] {
            const json l = cli({"api", "call", "mcp.list", "--json"}).json();
            return l.dump().find("\"ready\"") != std::string::npos;
        })) << cli({"api", "call", "mcp.list", "--json"}).out;
        const e2e::Run bad = cli({"api", "call", "mcp.add", "--params", R"({"name":"Bad Name","command":"x"})", "--json"});
        EXPECT_NE(bad.exit_code, 0);
        EXPECT_NE((bad.out + bad.err).find("not valid"), std::string::npos) << bad.out << bad.err;
        EXPECT_EQ(d.stop(SIGTERM), 0);
    }
    e2e::Daemon again(home, {});
    ASSERT_TRUE(again.ready());
    const json list = cli({"api", "call", "mcp.list", "--json"}).json();
    ASSERT_TRUE(list.contains("servers")) << list.dump();
    ASSERT_EQ(list["servers"].size(), 1u) << list.dump();
    EXPECT_EQ(list["servers"][0].value("name", ""), "ev");
    EXPECT_EQ(list["servers"][0].value("source", ""), "api");
    const e2e::Run removed = cli({"api", "call", "mcp.remove", "--params", R"({"name":"ev"})", "--json"});
    EXPECT_EQ(removed.exit_code, 0) << removed.out << removed.err;
    EXPECT_EQ(cli({"api", "call", "mcp.list", "--json"}).json()["servers"].size(), 0u);
    EXPECT_EQ(again.stop(SIGTERM), 0);
}

}  // namespace
}  // namespace cowork::mcp
