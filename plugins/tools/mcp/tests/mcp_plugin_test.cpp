// tool.mcp loaded through its C entry (dlopen + cowork_entry) with a test
// host (config, log, secrets, the kernel's real cowork.http/1): servers from
// config appear as namespaced tools, calls and progress go through, the
// mcp.* methods work, a crashed server is reconnected, and stopping the
// plugin leaves no process behind.
#include "llm_test_host.hpp"
#include "loaded_mcp.hpp"
#include "mcp_test_support.hpp"

#include <cowork/sdk/sink.hpp>

#include <dlfcn.h>

namespace cowork::mcp {
namespace {

using namespace testing;
using Json = nlohmann::json;

std::string text_of(const Json& result) {
    std::string out;
    for (const auto& c : result.value("content", Json::array())) out += c.value("text", "");
    return out;
}

class McpPluginTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        npm_ = npm_peers(why);
        if (npm_.empty()) GTEST_SKIP() << why;
        root_ = fs::temp_directory_path() / ("mcp-plugin-" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_ / "files");
        std::ofstream(root_ / "files" / "hello.txt") << "hello from the filesystem server\n";
        state_ = (root_ / "crash.state").string();
        config_ = {{"servers",
                    {{"everything", {{"command", "node"}, {"args", {everything_js(npm_), "stdio"}}}},
                     {"filesystem", {{"command", "node"}, {"args", {filesystem_js(npm_), (root_ / "files").string()}}}},
                     {"flaky", {{"command", "python3"}, {"args", {fixture("fault_server.py"), "crash", state_}}}},
                     {"broken", Json::object()}}}};
        http_ = std::make_unique<llm_testing::KernelHttp>("tool.mcp", std::vector<std::string>{"127.0.0.1"});
        host_ = std::make_unique<llm_testing::TestHost>("tool.mcp", config_);
        host_->set_http(http_->table());
        plugin_ = std::make_unique<LoadedMcp>(*host_);
        ASSERT_TRUE(eventually([&] {
            return plugin_->has_tool("everything.echo") && plugin_->has_tool("filesystem.read_file") && plugin_->has_tool("flaky.work");
        }, std::chrono::seconds(90))) << Json(plugin_->names()).dump() << plugin_->method("mcp.list").dump();
    }
    void TearDown() override {
        plugin_.reset();
        fs::remove_all(root_);
    }

    std::string npm_;
    fs::path root_;
    std::string state_;
    Json config_;
    std::unique_ptr<llm_testing::KernelHttp> http_;
    std::unique_ptr<llm_testing::TestHost> host_;
    std::unique_ptr<LoadedMcp> plugin_;
};

TEST_F(McpPluginTest, ToolsAreNamespacedWithSchemasAndAskByDefault) {
    const Json tools = plugin_->list()["tools"];
    for (const auto& t : tools) {
        const std::string name = t["name"];
        EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-."), std::string::npos) << name;
        EXPECT_EQ(t["inputSchema"]["type"], "object") << name;
        if (name == "filesystem.read_file") {
            EXPECT_FALSE(t["annotations"]["readOnly"]) << "a server's readOnlyHint never loosens policy";
            EXPECT_TRUE(t["annotations"]["mcpHints"].value("readOnlyHint", false));
        }
    }
    EXPECT_TRUE(plugin_->has_tool("flaky.bad_name_with_dots"));
    EXPECT_TRUE(plugin_->has_tool("everything.resources.read"));
    EXPECT_TRUE(plugin_->has_tool("everything.prompts.get"));
    // A broken entry is skipped with a log line naming the key.
    bool logged = false;
    for (const auto& l : host_->logs()) logged = logged || l.find("servers.broken") != std::string::npos;
    EXPECT_TRUE(logged);
}

TEST_F(McpPluginTest, CallsGoThroughWithProgress) {
    EXPECT_EQ(text_of(plugin_->call("everything.echo", {{"message", "hi"}})), "Echo: hi");
    const Json read = plugin_->call("filesystem.read_file", {{"path", (root_ / "files" / "hello.txt").string()}});
    EXPECT_NE(text_of(read).find("hello from the filesystem server"), std::string::npos) << read.dump();
    const Json outside = plugin_->call("filesystem.read_file", {{"path", "/etc/passwd"}});
    EXPECT_TRUE(outside.value("isError", false)) << "the server confines itself to its directory: " << outside.dump();
    std::vector<Json> events;
    const Json lro = plugin_->call("everything.trigger-long-running-operation", {{"duration", 1}, {"steps", 2}}, &events);
    EXPECT_NE(text_of(lro).find("completed"), std::string::npos);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events.back()["type"], "progress");
    EXPECT_DOUBLE_EQ(events.back()["progress"].get<double>(), 1.0);
    EXPECT_NE(text_of(plugin_->call("everything.resources.list", Json::object())).find("resourceTemplates"), std::string::npos);
    EXPECT_NE(text_of(plugin_->call("everything.prompts.list", Json::object())).find("prompts"), std::string::npos);
    EXPECT_TRUE(plugin_->call("nobody.echo", Json::object()).contains("abiError"));
}

TEST_F(McpPluginTest, ListTestDisableEnableAndRegistry) {
    const Json everything = plugin_->server("everything");
    EXPECT_EQ(everything["state"], "ready");
    EXPECT_EQ(everything["transport"], "stdio");
    EXPECT_GT(everything["tools"].get<int>(), 5);
    const Json test = plugin_->method("mcp.test", {{"name", "filesystem"}});
    EXPECT_TRUE(test.value("ok", false)) << test.dump();
    EXPECT_NE(test["tools"].dump().find("read_file"), std::string::npos);
    const int pid = plugin_->server("everything")["pid"];
    ASSERT_GT(pid, 0);
    EXPECT_EQ(plugin_->method("mcp.disable", {{"name", "everything"}})["enabled"], false);
    EXPECT_EQ(plugin_->server("everything")["state"], "disabled");
    EXPECT_TRUE(processes_in_group(pid).empty()) << "disable ends the server's process group";
    EXPECT_FALSE(plugin_->has_tool("everything.echo"));
    plugin_->method("mcp.enable", {{"name", "everything"}});
    EXPECT_TRUE(eventually([&] { return plugin_->has_tool("everything.echo"); }, std::chrono::seconds(60)));
    const Json registry = plugin_->method("mcp.registry");
    EXPECT_NE(registry.dump().find("\"filesystem\""), std::string::npos) << registry.dump();
    // This test host has no storage service: mcp.add says so instead of pretending.
    const Json add = plugin_->method("mcp.add", {{"name", "more"}, {"command", "true"}});
    EXPECT_EQ(add.value("abiError", 0), COWORK_E_UNSUPPORTED) << add.dump();
    EXPECT_EQ(plugin_->method("mcp.add", {{"name", "Bad Name"}, {"command", "x"}}).value("abiError", 0), COWORK_E_INVALID);
    EXPECT_EQ(plugin_->method("mcp.nope").value("abiError", 0), COWORK_E_NOT_FOUND);
}

TEST_F(McpPluginTest, CrashedServerFailsTheCallThenReconnects) {
    const Json first = plugin_->call("flaky.work", Json::object());
    ASSERT_TRUE(first.contains("abiError")) << first.dump();
    EXPECT_NE(first["error"].value("message", "").find("connection to the server was lost"), std::string::npos) << first.dump();
    EXPECT_TRUE(eventually([&] {
        const Json s = plugin_->server("flaky");
        return s["state"] == "ready" && s["reconnects"].get<int>() >= 1;
    }, std::chrono::seconds(30))) << plugin_->server("flaky").dump();
    EXPECT_EQ(text_of(plugin_->call("flaky.work", Json::object())), "recovered");
}

TEST_F(McpPluginTest, StoppingThePluginLeavesNoProcess) {
    std::vector<int> pids;
    for (const char* s : {"everything", "filesystem", "flaky"}) pids.push_back(plugin_->server(s)["pid"]);
    for (int pid : pids) ASSERT_GT(pid, 0);
    plugin_->stop();
    for (int pid : pids) {
        EXPECT_TRUE(processes_in_group(pid).empty()) << "process group " << pid << " outlived the plugin";
        EXPECT_FALSE(fs::exists("/proc/" + std::to_string(pid))) << "pid " << pid << " is still there (zombie?)";
    }
}

}  // namespace
}  // namespace cowork::mcp
