// llm.anthropic through its C entry, the kernel's real cowork.http/1 and a
// scripted HTTP server on 127.0.0.1 speaking the Messages API byte for byte.
#include "anthropic_sse.hpp"
#include "llm_test_host.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

namespace cowork::llm_anthropic {
namespace {

using namespace testing;
using cowork::testing::RecordedRequest;
using cowork::testing::ScriptedResponse;
using llm_testing::events_of;
using llm_testing::sse_reply;
using llm_testing::LoadedLlm;
using llm_testing::TestHost;
using llm_testing::WireHarness;
using namespace std::chrono_literals;
using Json = nlohmann::json;

const char* kKey = "sk-ant-test-5ecret";
const char* kSecret = "plugin.llm.anthropic.api_key";

ScriptedResponse error_reply(int status, const std::string& type, const std::string& message,
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
    return llm_testing::json_reply(
        status, R"({"type":"error","error":{"type":")" + type + R"(","message":")" + message + "\"}}", std::move(headers));
}

Json ask(const std::string& id, bool stream = true) {
    return {{"requestId", id},
            {"model", "claude-sonnet-5-5"},
            {"stream", stream},
            {"system", "Be brief."},
            {"cache", {{"system", true}, {"tools", true}}},
            {"tools", {{{"name", "tool.files.read_file"}, {"description", "Read"}, {"inputSchema", {{"type", "object"}}}}}},
            {"messages", {{{"role", "user"}, {"content", {{{"type", "text"}, {"text", "Read a.md and b.md"}}}}}}}};
}

Json body_of(const RecordedRequest& r) { return Json::parse(r.body); }

// The plugin, the kernel's real http service and a scripted server.
struct Wire : ::testing::Test, WireHarness {
    Wire() : WireHarness({"llm.anthropic", COWORK_LLM_ANTHROPIC_SO, Json{{"max_retries", 2}}, "", kKey, {"ANTHROPIC_API_KEY"}}) {}
};

TEST_F(Wire, MultiTurnToolUseSendsWhatAnthropicExpects) {
    server.enqueue(sse_reply({message_start(), text_block(0, {"Reading."}),
                              tool_block(1, "toolu_A", "tool_files_read_file", {"{\\\"path\\\":\\\"a.md\\\"}"}) +
                                  tool_block(2, "toolu_B", "tool_files_read_file", {"{\\\"path\\\":\\\"b.md\\\"}"}),
                              message_end("tool_use")}));
    const auto first = llm->complete(ask("turn-1"));
    ASSERT_EQ(first.status, COWORK_OK) << first.result.dump();
    EXPECT_EQ(first.result["stopReason"], "tool_use");
    const Json reply = first.result["message"];
    ASSERT_EQ(reply["content"].size(), 3u);
    EXPECT_EQ(reply["content"][1]["name"], "tool.files.read_file");
    EXPECT_EQ(events_of(first.events, "tool_call_start").size(), 2u);

    // Turn 2: the assistant turn as returned, then two tool messages.
    Json next = ask("turn-2");
    next["messages"].push_back(reply);
    next["messages"].push_back(Json::parse(
        R"({"role":"tool","content":[{"type":"tool_result","toolCallId":"toolu_A","content":"AAA","isError":false}]})"));
    next["messages"].push_back(Json::parse(
        R"({"role":"tool","content":[{"type":"tool_result","toolCallId":"toolu_B","content":"denied","isError":true}]})"));
    server.enqueue(sse_reply({message_start(), text_block(0, {"Done."}), message_end("end_turn")}));
    const auto second = llm->complete(next);
    ASSERT_EQ(second.status, COWORK_OK) << second.result.dump();
    EXPECT_EQ(second.result["message"]["content"][0]["text"], "Done.");

    const auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 2u);
    for (const auto& r : reqs) {
        EXPECT_EQ(r.method, "POST");
        EXPECT_EQ(r.target, "/v1/messages");
        EXPECT_EQ(r.headers.at("x-api-key"), kKey);
        EXPECT_EQ(r.headers.at("anthropic-version"), "2023-06-01");
        EXPECT_EQ(r.headers.at("content-type"), "application/json");
    }
    const Json b = body_of(reqs[1]);
    EXPECT_EQ(b["model"], "claude-sonnet-5-5");
    EXPECT_EQ(b["stream"], true);
    EXPECT_TRUE(b["max_tokens"].is_number_integer());
    EXPECT_EQ(b["system"][0]["cache_control"], Json({{"type", "ephemeral"}}));
    EXPECT_EQ(b["tools"].back()["cache_control"], Json({{"type", "ephemeral"}}));
    EXPECT_EQ(b["tools"][0]["name"], "tool_files_read_file");
    const Json& msgs = b["messages"];
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_EQ(msgs[1]["content"][2], Json::parse(R"({"type":"tool_use","id":"toolu_B","name":"tool_files_read_file","input":{"path":"b.md"}})"));
    EXPECT_EQ(msgs[2], Json::parse(R"({"role":"user","content":[
        {"type":"tool_result","tool_use_id":"toolu_A","content":"AAA"},
        {"type":"tool_result","tool_use_id":"toolu_B","content":"denied","is_error":true}]})"));
}

TEST_F(Wire, UsageAndCostIncludeCacheTokens) {
    server.enqueue(sse_reply({message_start(), text_block(0, {"Hi"}), message_end("end_turn", 500)}));
    const auto out = llm->complete(ask("u"));
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(out.result["usage"], Json::parse(R"({"inputTokens":1000,"outputTokens":500,"cacheReadTokens":3000,"cacheWriteTokens":2000})"));
    EXPECT_NEAR(out.result["costUsd"].get<double>(), 0.0123, 1e-12);
    EXPECT_EQ(out.result["model"], "claude-sonnet-5-5-20260901");
    EXPECT_EQ(out.result["attempts"], 1);
    EXPECT_FALSE(events_of(out.events, "usage").empty());
}

TEST_F(Wire, NonStreamingCallParsesTheWholeMessage) {
    ScriptedResponse r;
    r.headers = {{"Content-Type", "application/json"}};
    r.chunks = {R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":"Hello"}],"stop_reason":"max_tokens","usage":{"input_tokens":10,"output_tokens":20}})"};
    server.enqueue(r);
    Json req = ask("ns", false);
    req["model"] = "claude-haiku-4-5";
    const auto out = llm->complete(req);
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_FALSE(body_of(server.requests().at(0)).contains("stream"));
    EXPECT_TRUE(out.events.empty());
    EXPECT_EQ(out.result["message"]["content"][0]["text"], "Hello");
    EXPECT_EQ(out.result["stopReason"], "max_tokens");
    EXPECT_NEAR(out.result["costUsd"].get<double>(), (10 * 1.0 + 20 * 5.0) / 1e6, 1e-12);
}

TEST_F(Wire, RateLimitedWithRetryAfterThenSuccess) {
    server.enqueue(error_reply(429, "rate_limit_error", "slow down", {{"retry-after", "0"}}));
    server.enqueue(sse_reply({message_start(), text_block(0, {"ok"}), message_end("end_turn")}));
    const auto out = llm->complete(ask("r"));
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(out.result["attempts"], 2);
    const auto retries = events_of(out.events, "retry");
    ASSERT_EQ(retries.size(), 1u);
    EXPECT_EQ(retries[0]["attempt"], 2);
    EXPECT_EQ(retries[0]["delayMs"], 0);  // the server's Retry-After wins
    EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(Wire, OverloadedStatus529IsRetriedThenReportedUnavailable) {
    for (int i = 0; i < 3; ++i) server.enqueue(error_reply(529, "overloaded_error", "Overloaded", {{"retry-after", "0"}}));
    const auto out = llm->complete(ask("o"));
    EXPECT_EQ(out.status, COWORK_E_FAILED);
    EXPECT_EQ(out.code(), "unavailable");
    EXPECT_NE(out.result.value("message", "").find("Overloaded"), std::string::npos);
    EXPECT_EQ(server.requests().size(), 3u);  // max_retries = 2
    EXPECT_EQ(events_of(out.events, "retry").size(), 2u);
}

TEST_F(Wire, MidStreamOverloadedBeforeContentIsRetried) {
    server.enqueue(sse_reply({message_start(), error_event("overloaded_error", "Overloaded")}));
    server.enqueue(sse_reply({message_start(), text_block(0, {"second try"}), message_end("end_turn")}));
    const auto out = llm->complete(ask("m"));
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(out.result["message"]["content"][0]["text"], "second try");
    EXPECT_EQ(out.result["attempts"], 2);
    EXPECT_EQ(events_of(out.events, "retry").size(), 1u);
}

TEST_F(Wire, MidStreamErrorAfterContentIsNotRetried) {
    server.enqueue(sse_reply({message_start(), text_block(0, {"partial"}), error_event("overloaded_error", "Overloaded")}));
    server.enqueue(sse_reply({message_start(), text_block(0, {"never"}), message_end("end_turn")}));
    const auto out = llm->complete(ask("m2"));
    EXPECT_EQ(out.status, COWORK_E_FAILED);
    EXPECT_EQ(out.code(), "unavailable");
    EXPECT_NE(out.result.value("message", "").find("overloaded_error"), std::string::npos);
    EXPECT_EQ(server.requests().size(), 1u);
    EXPECT_TRUE(events_of(out.events, "retry").empty());
}

TEST_F(Wire, ConnectionDroppedMidStreamIsAnErrorNotAHalfAnswer) {
    // Every attempt is cut after its first chunk. Whether that chunk reached
    // the caller decides whether a retry is allowed (it does once the kernel
    // streams incrementally; a kernel that holds the body until the status is
    // known lets nothing through, so retrying is still safe) — either way
    // the call must fail without a half answer.
    for (int i = 0; i < 3; ++i)
        server.enqueue(sse_reply({message_start() + text_block(0, {"half"}), message_end("end_turn")}, /*close_mid_body=*/true));
    const auto out = llm->complete(ask("cut"));
    EXPECT_NE(out.status, COWORK_OK);
    EXPECT_EQ(out.code(), "unavailable") << out.result.dump();
    EXPECT_FALSE(out.result.contains("stopReason"));
    const size_t attempts = server.requests().size();
    if (!events_of(out.events, "text_delta").empty()) EXPECT_EQ(attempts, 1u);  // seen: never retried
    else EXPECT_EQ(attempts, 3u);                                                 // unseen: retried to the limit
}

TEST_F(Wire, MalformedToolJsonComesBackAsArgumentsErrorQuoted) {
    server.enqueue(sse_reply({message_start(), tool_block(0, "toolu_X", "tool_files_read_file", {"{\\\"path\\\": nope"}),
                              message_end("tool_use")}));
    const auto out = llm->complete(ask("bad"));
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(out.result["stopReason"], "tool_use");
    const Json& part = out.result["message"]["content"][0];
    EXPECT_EQ(part["id"], "toolu_X");
    EXPECT_EQ(part["arguments"], Json::object());
    EXPECT_NE(part.value("argumentsError", "").find("{\"path\": nope"), std::string::npos);
}

TEST_F(Wire, UnauthorizedIsAuthWithTheProviderMessageAndTheSetting) {
    server.enqueue(error_reply(401, "authentication_error", "invalid x-api-key"));
    const auto out = llm->complete(ask("a"));
    EXPECT_EQ(out.code(), "auth");
    const std::string message = out.result.value("message", "");
    EXPECT_NE(message.find("invalid x-api-key"), std::string::npos);
    EXPECT_NE(message.find(kSecret), std::string::npos);
    EXPECT_EQ(message.find(kKey), std::string::npos);
    EXPECT_EQ(server.requests().size(), 1u);  // never retried
}

TEST_F(Wire, MissingKeyFailsBeforeAnyRequestAndNamesTheSettings) {
    TestHost bare{"llm.anthropic", Json{{"base_url", server.base_url()}}};
    bare.set_http(http.table());
    LoadedLlm keyless(COWORK_LLM_ANTHROPIC_SO, bare);
    const auto out = keyless.complete(ask("k"));
    EXPECT_EQ(out.code(), "auth");
    EXPECT_NE(out.result.value("message", "").find("ANTHROPIC_API_KEY"), std::string::npos);
    EXPECT_TRUE(server.requests().empty());
}

TEST_F(Wire, EnvironmentKeyIsTheLastFallback) {
    TestHost bare{"llm.anthropic", Json{{"base_url", server.base_url()}}};
    bare.set_http(http.table());
    ::setenv("ANTHROPIC_API_KEY", "sk-from-env", 1);
    LoadedLlm env_llm(COWORK_LLM_ANTHROPIC_SO, bare);
    server.enqueue(sse_reply({message_start(), text_block(0, {"x"}), message_end("end_turn")}));
    const auto out = env_llm.complete(ask("e"));
    ::unsetenv("ANTHROPIC_API_KEY");
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(server.requests().at(0).headers.at("x-api-key"), "sk-from-env");
}

TEST_F(Wire, CancelDuringAStreamReturnsCancelledPromptly) {
    ScriptedResponse slow = sse_reply({message_start() + text_block(0, {"thinking"}), message_end("end_turn")});
    slow.delay_between = 30s;  // the second chunk would come far too late
    server.enqueue(slow);
    const auto started = std::chrono::steady_clock::now();
    auto pending = std::async(std::launch::async, [&] { return llm->complete(ask("slow")); });
    while (server.requests().empty() && std::chrono::steady_clock::now() - started < 10s) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(server.requests().size(), 1u);
    std::this_thread::sleep_for(100ms);  // let the first chunk arrive
    EXPECT_TRUE(llm->cancel("slow").result.value("cancelled", false));
    const auto out = pending.get();
    EXPECT_EQ(out.status, COWORK_E_CANCELLED);
    EXPECT_EQ(out.code(), "cancelled");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);  // long before the 30 s chunk
}

TEST_F(Wire, ListModelsMergesConfig) {
    host.set_config(Json{{"base_url", server.base_url()}, {"models", {{"claude-custom", {{"contextWindow", 5000}}}}}});
    const auto out = llm->list_models();
    ASSERT_EQ(out.status, COWORK_OK);
    const Json& models = out.result["models"];
    EXPECT_EQ(models[0]["id"], "claude-sonnet-5-5");
    EXPECT_EQ(models.back()["id"], "claude-custom");
    EXPECT_EQ(models.back()["contextWindow"], 5000);
    EXPECT_EQ(models[0]["pricing"]["cacheWritePerMTok"], 2.5);
}

}  // namespace
}  // namespace cowork::llm_anthropic
