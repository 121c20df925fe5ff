// McpClient over StdioTransport against real servers: the reference
// "everything" server (npm) and the fault fixture (Python).
#include "mcp_client.hpp"
#include "result_content.hpp"
#include "stdio_transport.hpp"

#include "mcp_test_support.hpp"

#include <cowork/sdk/error.hpp>

#include <atomic>

namespace cowork::mcp {
namespace {

using namespace testing;

struct Session {
    std::vector<std::string> notifications;
    std::vector<std::string> logs;
    std::mutex mutex;
    StdioTransport* transport = nullptr;
    // Last: destroyed first, so its threads stop before what they write into goes.
    std::unique_ptr<McpClient> client;
};

std::unique_ptr<Session> open_session(SpawnSpec spec, std::chrono::milliseconds request_timeout = std::chrono::seconds(60)) {
    auto s = std::make_unique<Session>();
    StdioOptions so;
    so.spawn = std::move(spec);
    so.shutdown_grace = std::chrono::milliseconds(500);
    auto t = std::make_unique<StdioTransport>(std::move(so));
    s->transport = t.get();
    ClientOptions co;
    co.request_timeout = request_timeout;
    co.connect_timeout = std::chrono::seconds(60);
    auto* raw = s.get();
    co.on_notification = [raw](const std::string& m, const Json&) {
        std::lock_guard lock(raw->mutex);
        raw->notifications.push_back(m);
    };
    co.log = [raw](int, const std::string& text) {
        std::lock_guard lock(raw->mutex);
        raw->logs.push_back(text);
    };
    s->client = std::make_unique<McpClient>(std::move(t), std::move(co));
    return s;
}

std::string tmp_state(const std::string& tag) {
    const std::string path = (fs::temp_directory_path() / ("mcp-" + tag + "-" + std::to_string(::getpid()))).string();
    fs::remove(path);
    return path;
}

class Everything : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        dir_ = npm_peers(why);
        if (dir_.empty()) GTEST_SKIP() << why;
        s_ = open_session({"node", {everything_js(dir_), "stdio"}, {}, ""});
        s_->client->connect();
    }
    std::string dir_;
    std::unique_ptr<Session> s_;
};

TEST_F(Everything, NegotiatesAndListsEveryPageOfTools) {
    const auto& id = s_->client->identity();
    EXPECT_TRUE(id.protocol_version == "2025-11-25" || id.protocol_version == "2025-06-18") << id.protocol_version;
    EXPECT_TRUE(id.capabilities.contains("tools"));
    const Json tools = s_->client->list_all("tools/list", "tools");
    std::vector<std::string> names;
    for (const auto& t : tools) names.push_back(t["name"]);
    for (const char* want : {"echo", "get-sum", "get-tiny-image", "trigger-long-running-operation"})
        EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
}

TEST_F(Everything, EchoAddAndImage) {
    Json r = tool_result_from_mcp(s_->client->request("tools/call", {{"name", "echo"}, {"arguments", {{"message", "hi there"}}}}), 1 << 20);
    EXPECT_EQ(r["content"][0]["text"], "Echo: hi there");
    r = tool_result_from_mcp(s_->client->request("tools/call", {{"name", "get-sum"}, {"arguments", {{"a", 2}, {"b", 40}}}}), 1 << 20);
    EXPECT_NE(r["content"][0]["text"].get<std::string>().find("42"), std::string::npos) << r.dump();
    r = tool_result_from_mcp(s_->client->request("tools/call", {{"name", "get-tiny-image"}, {"arguments", Json::object()}}), 1 << 20);
    bool image = false, described = false;
    for (const auto& part : r["content"]) {
        image = image || (part["type"] == "image" && part.value("mimeType", "") == "image/png" && !part.value("data", "").empty());
        described = described || part.value("text", "").rfind("[image: image/png", 0) == 0;
    }
    EXPECT_TRUE(image && described) << r.dump().substr(0, 500);
}

TEST_F(Everything, LongRunningOperationReportsProgress) {
    std::vector<Progress> seen;
    RequestOptions ro;
    ro.on_progress = [&](const Progress& p) { seen.push_back(p); };
    const Json r = s_->client->request("tools/call", {{"name", "trigger-long-running-operation"}, {"arguments", {{"duration", 1}, {"steps", 4}}}}, ro);
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(seen.back().progress, 4);
    EXPECT_EQ(seen.back().total, 4);
    EXPECT_NE(r.dump().find("completed"), std::string::npos);
}

TEST_F(Everything, ResourcesTemplatesAndPrompts) {
    const Json resources = s_->client->list_all("resources/list", "resources");
    ASSERT_FALSE(resources.empty());
    const std::string uri = resources[0]["uri"];
    const Json read = resource_read_result(s_->client->request("resources/read", {{"uri", uri}}), 1 << 20);
    EXPECT_NE(read["content"][0]["text"].get<std::string>().find(uri), std::string::npos) << read.dump().substr(0, 300);
    const Json templates = s_->client->list_all("resources/templates/list", "resourceTemplates");
    ASSERT_FALSE(templates.empty());
    EXPECT_NE(templates[0].value("uriTemplate", "").find("{"), std::string::npos);
    const Json prompts = s_->client->list_all("prompts/list", "prompts");
    ASSERT_FALSE(prompts.empty());
    const Json got = prompt_result(s_->client->request("prompts/get", {{"name", prompts[0]["name"]}}), 1 << 20);
    EXPECT_FALSE(got["content"].empty());
}

TEST_F(Everything, UnknownToolIsAJsonRpcErrorOrIsErrorResult) {
    try {
        const Json r = s_->client->request("tools/call", {{"name", "no-such-tool"}, {"arguments", Json::object()}});
        EXPECT_TRUE(r.value("isError", false)) << r.dump();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "mcp_error");
    }
}

TEST_F(Everything, CloseLeavesNoProcessBehind) {
    const int pid = s_->transport->pid();
    ASSERT_GT(pid, 0);
    EXPECT_FALSE(processes_in_group(pid).empty());
    s_->client->close();
    EXPECT_TRUE(processes_in_group(pid).empty()) << "the server's process group outlived close()";
}

// ---- faults ---------------------------------------------------------------

std::unique_ptr<Session> fault(const std::string& mode, const std::string& state = "",
                               std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    std::vector<std::string> args{fixture("fault_server.py"), mode};
    if (!state.empty()) args.push_back(state);
    auto s = open_session({"python3", args, {}, ""}, timeout);
    s->client->connect();
    return s;
}

Json call_work(McpClient& c, const RequestOptions& ro = {}) {
    return c.request("tools/call", {{"name", "work"}, {"arguments", Json::object()}}, ro);
}

TEST(Faults, CrashMidCallFailsClearly) {
    auto s = fault("crash");
    try {
        call_work(*s->client);
        FAIL() << "a crashed server cannot answer";
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "failed");
        EXPECT_NE(std::string(e.what()).find("connection to the server was lost"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(s->client->alive());
}

TEST(Faults, NeverAnsweringTimesOutAndIsCancelledOnTheServer) {
    const std::string state = tmp_state("hang");
    auto s = fault("hang", state, std::chrono::milliseconds(300));
    try {
        call_work(*s->client);
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.status(), COWORK_E_TIMEOUT);
        EXPECT_NE(std::string(e.what()).find("cancelled on the server"), std::string::npos);
    }
    EXPECT_TRUE(eventually([&] { return read_file(state).find("cancelled 2") != std::string::npos; })) << read_file(state);
    // The session is still usable after a timeout.
    EXPECT_FALSE(s->client->list_all("tools/list", "tools").empty());
}

TEST(Faults, ClientCancelSendsNotificationsCancelled) {
    const std::string state = tmp_state("cancel");
    auto s = fault("hang", state);
    std::atomic<bool> cancel{false};
    RequestOptions ro;
    ro.cancelled = [&] { return cancel.load(); };
    std::thread t([&] {
        eventually([&] { return read_file(state).find("hanging") != std::string::npos; });
        cancel = true;
    });
    try {
        call_work(*s->client, ro);
        ADD_FAILURE();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.status(), COWORK_E_CANCELLED);
    }
    t.join();
    EXPECT_TRUE(eventually([&] { return read_file(state).find("cancelled") != std::string::npos; }));
}

TEST(Faults, NotificationFloodDoesNotStarveTheCall) {
    auto s = fault("flood");
    const Json r = call_work(*s->client);
    EXPECT_EQ(r["content"][0]["text"], "after flood");
    EXPECT_FALSE(s->client->list_all("tools/list", "tools").empty());
}

TEST(Faults, MalformedJsonRpcIsSurvived) {
    auto s = fault("malformed");
    const Json r = call_work(*s->client);
    EXPECT_EQ(r["content"][0]["text"], "survived");
    std::lock_guard lock(s->mutex);
    bool logged = false;
    for (const auto& l : s->logs) logged = logged || l.find("not JSON") != std::string::npos;
    EXPECT_TRUE(logged);
}

TEST(Faults, HugeResultIsCappedWithANote) {
    auto s = fault("huge");
    const Json r = tool_result_from_mcp(call_work(*s->client), 1024 * 1024);
    EXPECT_EQ(r["content"][0]["text"].get<std::string>().size(), 1024u * 1024u);
    const std::string note = r["content"].back()["text"];
    EXPECT_NE(note.find("truncated"), std::string::npos);
    EXPECT_NE(note.find("max_result_bytes"), std::string::npos);
}

TEST(Faults, ServerPingIsAnsweredAndUnknownRequestsGetMethodNotFound) {
    const std::string state = tmp_state("ping");
    auto s = fault("ping", state);
    EXPECT_EQ(call_work(*s->client)["content"][0]["text"], "pinged");
    const std::string log = read_file(state);
    EXPECT_NE(log.find(R"("id": "srv-ping", "jsonrpc": "2.0", "result": {})"), std::string::npos) << log;
    EXPECT_NE(log.find(R"("code": -32601)"), std::string::npos) << log;
}

TEST(Faults, UnsupportedProtocolVersionIsRefusedClearly) {
    // A server answering a version we never offered: a tiny inline script.
    const std::string script =
        "import sys,json\n"
        "r=json.loads(sys.stdin.readline())\n"
        "print(json.dumps({'jsonrpc':'2.0','id':r['id'],'result':{'protocolVersion':'1999-01-01','capabilities':{},'serverInfo':{'name':'old'}}}),flush=True)\n"
        "sys.stdin.readline()\n";
    auto s = open_session({"python3", {"-c", script}, {}, ""});
    try {
        s->client->connect();
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_NE(std::string(e.what()).find("'1999-01-01'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("2025-06-18"), std::string::npos) << e.what();
    }
}

TEST(Faults, MissingCommandSaysWhatToCheck) {
    auto s = open_session({"/nonexistent/mcp-server", {}, {}, ""});
    try {
        s->client->connect();
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot start '/nonexistent/mcp-server'"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace cowork::mcp
