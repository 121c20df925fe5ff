// tool.call as a conversation, through a real in-process kernel and the
// tool.mcp-conformance fixture plugin: a running tool's events reach a
// listening caller while it runs, its questions (tool.request) reach the
// caller that said it can answer them and the answers reach the tool, and
// tool.cancel stops the caller's own call — nobody else's.
#include "app/kernel.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <thread>

namespace cowork::kernel::app {
namespace {

namespace fs = std::filesystem;
using api::Caller;
using namespace std::chrono_literals;

Caller caller(const std::string& id) { return {id, "operator", api::scopes_for_role("operator"), "inproc"}; }

std::string text_of(const Json& result) {
    std::string out;
    for (const auto& part : result.value("content", Json::array())) out += part.value("text", "");
    return out;
}

class ToolRequests : public ::testing::Test {
protected:
    cowork::testing::TempDir tmp;
    std::unique_ptr<Kernel> kernel;
    Caller alice = caller("test:alice");
    Caller bob = caller("test:bob");

    void SetUp() override {
        ::setenv("COWORK_HOME", (tmp.path() / "home").c_str(), 1);
        // MCP clients may not run test_simple_text; everyone else may.
        std::ofstream(tmp.path() / "cowork.toml") << "[[policy.contexts.mcp]]\nid = \"mcp-no-simple\"\ndecision = \"deny\"\n"
                                                     "tool = \"tool.mcp-conformance.test_simple_text\"\n";
        KernelOptions o;
        o.config_file = tmp.path() / "cowork.toml";
        o.plugin_dirs = {fs::path(COWORK_MCP_FIXTURE_PLUGINS)};
        o.console_log = false;
        kernel = std::make_unique<Kernel>(o);
        ASSERT_TRUE(kernel->boot().ok());
    }
    void TearDown() override {
        kernel.reset();
        ::unsetenv("COWORK_HOME");
    }

    Json params(const std::string& tool, const Json& args, const Json& extra = Json::object()) const {
        Json p{{"tool", "tool.mcp-conformance." + tool}, {"arguments", args}, {"workspace", tmp.path().string()}};
        p.update(extra);
        return p;
    }
    // tool.call as a listening caller; `on_event` sees each event while the call runs.
    Result<Json> call(const Caller& who, const Json& p, const api::EventSink& on_event) {
        return kernel->api().call(who, "tool.call", p, on_event);
    }
};

TEST_F(ToolRequests, EventsReachAListeningCallerWhileTheCallRuns) {
    std::vector<Json> events;
    auto r = call(alice, params("test_tool_with_progress", Json::object()), [&](const Json& e) { events.push_back(e); });
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0]["type"], "event");
    EXPECT_EQ(events[1]["event"]["progress"], 50);
    EXPECT_FALSE(r->contains("events")) << "a listening caller has had them already";
    // A caller that does not listen still gets them, with the result.
    auto quiet = kernel->api().call(alice, "tool.call", params("test_tool_with_progress", Json::object()));
    ASSERT_TRUE(quiet.ok());
    EXPECT_EQ((*quiet)["events"].size(), 3u);
}

TEST_F(ToolRequests, AQuestionReachesTheCallerAndItsAnswerReachesTheTool) {
    Json asked;
    std::future<Result<Json>> answered;
    const Json p = params("test_sampling", {{"prompt", "say hi"}}, {{"callId", "s1"}, {"answers", {"sampling"}}});
    auto r = call(alice, p, [&](const Json& e) {
        if (e.value("type", "") != "request") return;
        asked = e;
        // Answer from another thread, as a transport would.
        answered = std::async(std::launch::async, [this, id = e.value("requestId", "")] {
            const Json answer{{"role", "assistant"}, {"content", {{"type", "text"}, {"text", "hi from the caller"}}}, {"model", "m"}};
            return kernel->api().call(alice, "tool.respond", {{"callId", "s1"}, {"requestId", id}, {"result", answer}});
        });
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(asked["kind"], "sampling");
    EXPECT_EQ(asked["params"]["messages"][0]["content"]["text"], "say hi");
    EXPECT_EQ(text_of(*r), "LLM response: hi from the caller");
    ASSERT_TRUE(answered.valid());
    EXPECT_TRUE(answered.get().ok());
}

TEST_F(ToolRequests, ACallerThatCannotAnswerMakesTheToolFailClearly) {
    auto r = call(alice, params("test_elicitation", {{"message", "who are you?"}}), [](const Json&) {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "METHOD_FAILED");
    EXPECT_NE(r.error().message.find("test:alice) cannot answer elicitation"), std::string::npos) << r.error().message;
}

TEST_F(ToolRequests, OnlyTheOwnerCancelsAndTheCallStopsPromptly) {
    const Json p = params("slow_echo", {{"ms", 30000}, {"text", "late"}}, {{"callId", "long"}});
    const auto started = std::chrono::steady_clock::now();
    auto running = std::async(std::launch::async, [&] { return call(alice, p, [](const Json&) {}); });
    std::this_thread::sleep_for(200ms);
    auto foreign = kernel->api().call(bob, "tool.cancel", {{"callId", "long"}});
    ASSERT_FALSE(foreign.ok());
    EXPECT_EQ(foreign.error().code, "NOT_FOUND");
    auto own = kernel->api().call(alice, "tool.cancel", {{"callId", "long"}});
    ASSERT_TRUE(own.ok()) << own.error().message;
    auto r = running.get();
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE((*r)["isError"].get<bool>());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
    // Finished calls are gone: a second cancel finds nothing.
    EXPECT_FALSE(kernel->api().call(alice, "tool.cancel", {{"callId", "long"}}).ok());
}

TEST_F(ToolRequests, ToolRequestIsOnlyForThePluginRunningTheCall) {
    const Json p = params("slow_echo", {{"ms", 30000}}, {{"callId", "mine"}});
    auto running = std::async(std::launch::async, [&] { return call(alice, p, [](const Json&) {}); });
    std::this_thread::sleep_for(200ms);
    const Json ask{{"callId", "test:alice#mine"}, {"kind", "elicitation"}, {"params", {{"message", "?"}}}, {"timeoutMs", 200}};
    auto by_person = kernel->api().call(alice, "tool.request", ask);
    ASSERT_FALSE(by_person.ok());
    EXPECT_EQ(by_person.error().code, "UNAUTHORIZED");
    const Caller other{"plugin:tool.other", "read", api::scopes_for_role("read"), "plugin"};
    auto by_other = kernel->api().call(other, "tool.request", ask);
    ASSERT_FALSE(by_other.ok());
    EXPECT_EQ(by_other.error().code, "NOT_FOUND");
    // The owning plugin gets through to alice, who listens but did not say
    // she answers elicitation: a clear refusal, not a hang.
    const Caller owner{"plugin:tool.mcp-conformance", "read", api::scopes_for_role("read"), "plugin"};
    auto by_owner = kernel->api().call(owner, "tool.request", ask);
    ASSERT_FALSE(by_owner.ok());
    EXPECT_EQ(by_owner.error().code, "UNSUPPORTED");
    ASSERT_TRUE(kernel->api().call(alice, "tool.cancel", {{"callId", "mine"}}).ok());
    EXPECT_TRUE(running.get().ok());
}

TEST_F(ToolRequests, AnUnansweredQuestionTimesOutAndALateAnswerIsRefused) {
    std::string request_id;
    const Json p = params("slow_echo", {{"ms", 30000}}, {{"callId", "q"}, {"answers", {"elicitation"}}});
    auto running = std::async(std::launch::async, [&] {
        return call(alice, p, [&](const Json& e) { request_id = e.value("requestId", ""); });
    });
    std::this_thread::sleep_for(200ms);
    const Caller owner{"plugin:tool.mcp-conformance", "read", api::scopes_for_role("read"), "plugin"};
    auto asked = kernel->api().call(owner, "tool.request",
                                    {{"callId", "test:alice#q"}, {"kind", "elicitation"}, {"params", {{"message", "?"}}}, {"timeoutMs", 150}});
    ASSERT_FALSE(asked.ok());
    EXPECT_EQ(asked.error().code, "TIMEOUT");
    EXPECT_EQ(request_id, "q1");
    auto late = kernel->api().call(alice, "tool.respond", {{"callId", "q"}, {"requestId", "q1"}, {"result", {{"action", "accept"}}}});
    EXPECT_FALSE(late.ok());
    ASSERT_TRUE(kernel->api().call(alice, "tool.cancel", {{"callId", "q"}}).ok());
    EXPECT_TRUE(running.get().ok());
}

TEST_F(ToolRequests, McpClientsAreJudgedByTheMcpContextRules) {
    Caller mcp_client = caller("mcp:claude");
    mcp_client.transport = "mcp";
    auto refused = kernel->api().call(mcp_client, "tool.call", params("test_simple_text", Json::object()));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "POLICY_DENIED");
    EXPECT_NE(refused.error().message.find("mcp-no-simple"), std::string::npos) << refused.error().message;
    auto allowed = kernel->api().call(alice, "tool.call", params("test_simple_text", Json::object()));
    ASSERT_TRUE(allowed.ok()) << allowed.error().message;
}

}  // namespace
}  // namespace cowork::kernel::app
