// McpClient over HttpTransport against the reference "everything" server in
// its streamableHttp and sse modes, through the kernel's REAL cowork.http/1
// (llm_testing::KernelHttp), so the plugin's HTTP path is the production one.
#include "http_transport.hpp"
#include "mcp_client.hpp"
#include "result_content.hpp"

#include "llm_test_host.hpp"
#include "mcp_test_support.hpp"

#include <cowork/sdk/error.hpp>

namespace cowork::mcp {
namespace {

using namespace testing;

class HttpEverything : public ::testing::TestWithParam<const char*> {
protected:
    void SetUp() override {
        std::string why;
        dir_ = npm_peers(why);
        if (dir_.empty()) GTEST_SKIP() << why;
        port_ = free_port();
        server_ = std::make_unique<Background>(std::vector<std::string>{"node", everything_js(dir_), mode()},
                                               std::vector<std::pair<std::string, std::string>>{{"PORT", std::to_string(port_)}});
        ASSERT_TRUE(wait_for_port(port_, std::chrono::seconds(60))) << "everything " << mode() << " did not listen";
        http_ = std::make_unique<llm_testing::KernelHttp>("tool.mcp", std::vector<std::string>{"127.0.0.1:" + std::to_string(port_)});
        host_ = std::make_unique<llm_testing::TestHost>("tool.mcp");
        host_->set_http(http_->table());
    }

    std::string mode() const { return std::string(GetParam()) == "sse" || std::string(GetParam()) == "fallback" ? "sse" : "streamableHttp"; }

    std::unique_ptr<McpClient> connect(const std::string& path, bool legacy_only) {
        HttpOptions o;
        o.url = "http://127.0.0.1:" + std::to_string(port_) + path;
        o.legacy_only = legacy_only;
        o.log = [this](int, const std::string& t) {
            std::lock_guard lock(mutex_);
            logs_.push_back(t);
        };
        auto* transport = new HttpTransport(sdk::Host(host_->raw()), o);
        transport_ = transport;
        ClientOptions co;
        co.on_notification = [this](const std::string& m, const Json&) {
            std::lock_guard lock(mutex_);
            notifications_.push_back(m);
        };
        auto c = std::make_unique<McpClient>(std::unique_ptr<Transport>(transport), co);
        c->connect();
        return c;
    }

    std::unique_ptr<McpClient> connect_for_param() {
        const std::string p = GetParam();
        if (p == "http") return connect("/mcp", false);
        if (p == "sse") return connect("/sse", true);
        return connect("/sse", false);  // "fallback": Streamable HTTP POST gets a 4xx, legacy GET /sse works
    }

    std::string dir_;
    int port_ = 0;
    std::unique_ptr<Background> server_;
    std::unique_ptr<llm_testing::KernelHttp> http_;
    std::unique_ptr<llm_testing::TestHost> host_;
    HttpTransport* transport_ = nullptr;
    std::mutex mutex_;
    std::vector<std::string> logs_, notifications_;
};

TEST_P(HttpEverything, InitializeListCallEchoAndAdd) {
    auto c = connect_for_param();
    EXPECT_EQ(c->transport_kind(), std::string(GetParam()) == "http" ? "http" : "sse");
    if (std::string(GetParam()) == "http") {
        EXPECT_FALSE(transport_->session_id().empty()) << "Mcp-Session-Id kept";
    }
    const Json tools = c->list_all("tools/list", "tools");
    EXPECT_GE(tools.size(), 5u);
    Json r = tool_result_from_mcp(c->request("tools/call", {{"name", "echo"}, {"arguments", {{"message", "over http"}}}}), 1 << 20);
    EXPECT_EQ(r["content"][0]["text"], "Echo: over http");
    r = tool_result_from_mcp(c->request("tools/call", {{"name", "get-sum"}, {"arguments", {{"a", 1}, {"b", 2}}}}), 1 << 20);
    EXPECT_NE(r["content"][0]["text"].get<std::string>().find("3"), std::string::npos);
}

TEST_P(HttpEverything, ProgressArrivesWhileTheCallRuns) {
    auto c = connect_for_param();
    std::vector<Progress> seen;
    RequestOptions ro;
    ro.on_progress = [&](const Progress& p) { seen.push_back(p); };
    c->request("tools/call", {{"name", "trigger-long-running-operation"}, {"arguments", {{"duration", 1}, {"steps", 3}}}}, ro);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen.back().progress, 3);
}

TEST_P(HttpEverything, ImageResourcesAndPrompts) {
    auto c = connect_for_param();
    Json r = tool_result_from_mcp(c->request("tools/call", {{"name", "get-tiny-image"}, {"arguments", Json::object()}}), 1 << 20);
    EXPECT_NE(r.dump().find("image/png"), std::string::npos);
    const Json resources = c->list_all("resources/list", "resources");
    ASSERT_FALSE(resources.empty());
    const Json read = c->request("resources/read", {{"uri", resources[0]["uri"]}});
    EXPECT_FALSE(read["contents"].empty());
    EXPECT_FALSE(c->list_all("resources/templates/list", "resourceTemplates").empty());
    const Json prompts = c->list_all("prompts/list", "prompts");
    ASSERT_FALSE(prompts.empty());
    EXPECT_FALSE(c->request("prompts/get", {{"name", prompts[0]["name"]}})["messages"].empty());
}

INSTANTIATE_TEST_SUITE_P(Transports, HttpEverything, ::testing::Values("http", "sse", "fallback"));

TEST(HttpErrors, RefusedConnectionFailsClearly) {
    const int port = free_port();  // nothing listens
    llm_testing::KernelHttp http("tool.mcp", {"127.0.0.1:" + std::to_string(port)});
    llm_testing::TestHost host("tool.mcp");
    host.set_http(http.table());
    HttpOptions o;
    o.url = "http://127.0.0.1:" + std::to_string(port) + "/mcp";
    o.connect_timeout = std::chrono::milliseconds(2000);
    McpClient c(std::make_unique<HttpTransport>(sdk::Host(host.raw()), o), {});
    try {
        c.connect();
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
    }
}

TEST(HttpErrors, UndeclaredHostIsDeniedByTheKernel) {
    llm_testing::KernelHttp http("tool.mcp", {"example.invalid"});
    llm_testing::TestHost host("tool.mcp");
    host.set_http(http.table());
    HttpOptions o;
    o.url = "http://127.0.0.1:9/mcp";
    McpClient c(std::make_unique<HttpTransport>(sdk::Host(host.raw()), o), {});
    try {
        c.connect();
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_NE(std::string(e.what()).find("may not connect"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace cowork::mcp
