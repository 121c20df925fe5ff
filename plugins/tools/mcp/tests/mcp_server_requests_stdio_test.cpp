// Server requests over stdio against the Python fault fixture: the server
// sends elicitation/create and sampling/createMessage in the middle of a
// tools/call and the handler's answers (defaults filled in) reach it; errors,
// "no call in flight" and the concurrency bound as the server sees them.
// And a stdio server dies with a SIGKILLed client (PR_SET_PDEATHSIG).
#include "mcp_client.hpp"
#include "stdio_transport.hpp"

#include "mcp_test_support.hpp"

#include <cowork/sdk/error.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>

namespace cowork::mcp {
namespace {

using namespace testing;

std::string tmp_state(const std::string& tag) {
    const std::string path = (fs::temp_directory_path() / ("mcp-req-" + tag + "-" + std::to_string(::getpid()))).string();
    fs::remove(path);
    return path;
}

std::unique_ptr<McpClient> fixture_client(const std::string& mode, const std::string& state, ServerRequestHandler handler,
                                          std::chrono::milliseconds request_timeout = std::chrono::seconds(30)) {
    StdioOptions so;
    so.spawn = {"python3", {fixture("fault_server.py"), mode, state}, {}, ""};
    so.shutdown_grace = std::chrono::milliseconds(500);
    ClientOptions co;
    co.request_timeout = request_timeout;
    co.on_server_request = std::move(handler);
    auto client = std::make_unique<McpClient>(std::make_unique<StdioTransport>(std::move(so)), std::move(co));
    client->connect();
    return client;
}

Json call_work(McpClient& c, const std::string& related_call) {
    RequestOptions ro;
    ro.related_call = related_call;
    return c.request("tools/call", {{"name", "work"}, {"arguments", Json::object()}}, ro);
}

// The fixture's "ask" answer: {"elicit": reply, "sample": reply} as the server received them.
Json replies_of(const Json& result) { return Json::parse(result["content"][0]["text"].get<std::string>()); }

struct Asked {
    std::mutex mutex;
    std::vector<std::string> kinds;
    std::vector<std::string> calls;
};

TEST(ServerRequests, ElicitationAndSamplingAnswersReachTheServerMidCall) {
    const std::string state = tmp_state("ask");
    Asked asked;
    const Json sampled = {{"role", "assistant"}, {"content", {{"type", "text"}, {"text", "hi from the model"}}},
                          {"model", "scripted"}, {"stopReason", "endTurn"}};
    auto client = fixture_client("ask", state, [&](const std::string& kind, const Json& params, const std::string& call) {
        {
            std::lock_guard lock(asked.mutex);
            asked.kinds.push_back(kind);
            asked.calls.push_back(call);
        }
        if (kind == "elicitation") {
            EXPECT_EQ(params.value("message", ""), "Who are you?");
            return Json{{"action", "accept"}, {"content", {{"name", "Ada"}}}};  // the rest left to defaults
        }
        EXPECT_EQ(params.value("maxTokens", 0), 20);
        return sampled;
    });
    const Json replies = replies_of(call_work(*client, "call-42"));
    EXPECT_EQ(replies["elicit"]["result"],
              (Json{{"action", "accept"},
                    {"content", {{"name", "Ada"}, {"age", 30}, {"score", 1.5}, {"color", "green"}, {"subscribed", true}}}}))
        << replies.dump();
    EXPECT_EQ(replies["sample"]["result"], sampled) << replies.dump();
    std::lock_guard lock(asked.mutex);
    EXPECT_EQ(asked.calls, (std::vector<std::string>{"call-42", "call-42"}));
    std::sort(asked.kinds.begin(), asked.kinds.end());
    EXPECT_EQ(asked.kinds, (std::vector<std::string>{"elicitation", "sampling"}));
    // initialize declared both capabilities (elicitation in its 2025-11-25 form shape).
    EXPECT_NE(read_file(state).find(R"(capabilities {"elicitation": {"form": {}}, "sampling": {}})"), std::string::npos)
        << read_file(state);
}

TEST(ServerRequests, TheCallersRefusalReachesTheServerAsInternalError) {
    const std::string state = tmp_state("refuse");
    auto client = fixture_client("ask", state, [](const std::string& kind, const Json&, const std::string&) -> Json {
        throw sdk::Error(COWORK_E_UNSUPPORTED, "UNSUPPORTED", "the caller of this tool cannot answer " + kind + " requests");
    });
    const Json replies = replies_of(call_work(*client, "call-1"));
    EXPECT_EQ(replies["elicit"]["error"],
              (Json{{"code", -32603}, {"message", "the caller of this tool cannot answer elicitation requests"}}));
    EXPECT_EQ(replies["sample"]["error"]["message"], "the caller of this tool cannot answer sampling requests");
}

TEST(ServerRequests, AWrongTypeInTheAnswerIsAnErrorToTheServer) {
    const std::string state = tmp_state("wrongtype");
    auto client = fixture_client("ask", state, [](const std::string& kind, const Json&, const std::string&) -> Json {
        if (kind == "elicitation") return {{"action", "accept"}, {"content", {{"name", "Ada"}, {"age", "old"}}}};
        return {{"role", "assistant"}, {"content", {{"type", "text"}, {"text", "x"}}}, {"model", "m"}};
    });
    const Json replies = replies_of(call_work(*client, "call-1"));
    EXPECT_EQ(replies["elicit"]["error"]["code"], -32603);
    EXPECT_NE(replies["elicit"]["error"]["message"].get<std::string>().find("'age' should be an integer"), std::string::npos);
    EXPECT_TRUE(replies["sample"].contains("result"));
}

TEST(ServerRequests, WithNoCallInFlightTheServerIsToldSo) {
    const std::string state = tmp_state("nocall");
    std::atomic<int> asked{0};
    auto client = fixture_client("ask", state, [&](const std::string&, const Json&, const std::string&) {
        ++asked;
        return Json::object();
    });
    // A request that serves no tool call (no related_call): nobody to ask.
    const Json replies = replies_of(call_work(*client, ""));
    for (const char* which : {"elicit", "sample"})
        EXPECT_EQ(replies[which]["error"], (Json{{"code", -32603}, {"message", "no tool call in flight to relate this request to"}}))
            << which;
    EXPECT_EQ(asked.load(), 0);
}

TEST(ServerRequests, WithoutAHandlerNothingIsDeclaredAndRequestsAreUnsupported) {
    const std::string state = tmp_state("nohandler");
    auto client = fixture_client("ask", state, nullptr);
    const Json replies = replies_of(call_work(*client, "call-1"));
    EXPECT_EQ(replies["elicit"]["error"]["code"], -32601);
    EXPECT_EQ(replies["sample"]["error"]["code"], -32601);
    EXPECT_NE(read_file(state).find("capabilities {}"), std::string::npos) << read_file(state);
}

TEST(ServerRequests, AtMostFourAreAnsweredAtOnceTheRestAreBusy) {
    const std::string state = tmp_state("many");
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    std::atomic<int> waiting{0};
    auto client = fixture_client("ask-many", state, [&](const std::string&, const Json&, const std::string&) {
        ++waiting;
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return release; });
        return Json{{"action", "decline"}};
    });
    Json result;
    std::thread caller([&] { result = call_work(*client, "call-1"); });
    auto count = [&](const std::string& needle) {
        const std::string log = read_file(state);
        size_t n = 0;
        for (size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
        return n;
    };
    // The two over the bound are refused at once, while four answers still wait.
    EXPECT_TRUE(eventually([&] { return count("busy") == 2 && waiting.load() == 4; })) << read_file(state);
    EXPECT_EQ(count("\"decline\""), 0u);
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    caller.join();
    EXPECT_EQ(result["content"][0]["text"], "asked");
    EXPECT_EQ(count("\"decline\""), 4u) << read_file(state);
    EXPECT_EQ(waiting.load(), 4);
}

TEST(ServerRequests, WaitingForTheCallerDoesNotTimeOutTheCall) {
    const std::string state = tmp_state("slow");
    auto client = fixture_client(
        "ask", state,
        [](const std::string& kind, const Json&, const std::string&) -> Json {
            std::this_thread::sleep_for(std::chrono::milliseconds(700));  // a person thinking, longer than the timeout
            if (kind == "elicitation") return {{"action", "cancel"}};
            return {{"role", "assistant"}, {"content", {{"type", "text"}, {"text", "x"}}}, {"model", "m"}};
        },
        std::chrono::milliseconds(300));
    const Json replies = replies_of(call_work(*client, "call-1"));
    EXPECT_EQ(replies["elicit"]["result"], (Json{{"action", "cancel"}}));
}

// ---- the server dies with its client ----------------------------------------

bool running(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), {});
    const auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';  // a zombie is gone, only unreaped
}

// Not a test of its own: the helper process StdioDeath.ServerDiesWithAKilledClient
// starts (this binary again) holds a stdio link until it is killed.
TEST(StdioDeath, HelperHoldsALink) {
    const char* pid_file = std::getenv("MCP_DEATH_HELPER_PIDFILE");
    if (!pid_file) GTEST_SKIP() << "runs only as the helper of StdioDeath.ServerDiesWithAKilledClient";
    StdioOptions so;
    so.spawn = {"python3", {fixture("fault_server.py"), "stubborn"}, {}, ""};
    McpClient client(std::make_unique<StdioTransport>(std::move(so)), {});
    client.connect();
    const int pid = dynamic_cast<StdioTransport&>(client.transport()).pid();
    {
        std::ofstream out(std::string(pid_file) + ".tmp");
        out << pid;
    }
    fs::rename(std::string(pid_file) + ".tmp", pid_file);
    for (;;) ::pause();  // until SIGKILL
}

TEST(StdioDeath, ServerDiesWithAKilledClient) {
    const std::string pid_file = tmp_state("death-pid");
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    Background helper({self, "--gtest_filter=StdioDeath.HelperHoldsALink"}, {{"MCP_DEATH_HELPER_PIDFILE", pid_file}});
    ASSERT_TRUE(eventually([&] { return fs::exists(pid_file); })) << "the helper never connected to the fixture";
    const int server = std::stoi(read_file(pid_file));
    ASSERT_TRUE(running(server));
    // The fixture in "stubborn" mode ignores EOF on stdin: only the
    // parent-death signal can end it once its client is SIGKILLed.
    ASSERT_EQ(::kill(helper.pid(), SIGKILL), 0);
    const auto killed = std::chrono::steady_clock::now();
    bool gone = false;
    while (std::chrono::steady_clock::now() - killed < std::chrono::seconds(5) && !gone) {
        gone = !running(server);
        if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed);
    if (!gone) ::kill(-server, SIGKILL);  // do not leave it behind when the assertion fails
    EXPECT_TRUE(gone) << "the stdio server (pid " << server << ") outlived its SIGKILLed client by 5 s";
    std::cout << "stdio server gone " << took.count() << " ms after its client was SIGKILLed\n";
    fs::remove(pid_file);
}

}  // namespace
}  // namespace cowork::mcp
