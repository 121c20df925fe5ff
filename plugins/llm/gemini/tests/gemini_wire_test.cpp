// llm.gemini through its C entry, the kernel's real cowork.http/1 and a
// scripted HTTP server on 127.0.0.1 speaking the Gemini API byte for byte.
#include "gemini_sse.hpp"
#include "llm_test_host.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

namespace cowork::llm_gemini {
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

const char* kKey = "AIza-test-5ecret";
const char* kSecret = "plugin.llm.gemini.api_key";

ScriptedResponse error_reply(int status, const std::string& grpc_status, const std::string& message,
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
    return llm_testing::json_reply(status,
                                   R"({"error":{"code":)" + std::to_string(status) + R"(,"message":")" + message +
                                       R"(","status":")" + grpc_status + "\"}}",
                                   std::move(headers), "application/json; charset=UTF-8");
}

Json ask(const std::string& id, bool stream = true) {
    return {{"requestId", id},
            {"model", "gemini-2.5-flash"},
            {"stream", stream},
            {"system", "Be brief."},
            {"maxTokens", 256},
            {"tools", {{{"name", "tool.files.read_file"}, {"description", "Read"},
                        {"inputSchema", {{"type", "object"}, {"additionalProperties", false}, {"properties", {{"path", {{"type", "string"}}}}}}}}}},
            {"messages", {{{"role", "user"}, {"content", {{{"type", "text"}, {"text", "Read a.md and b.md"}}}}}}}};
}

// The plugin, the kernel's real http service and a scripted server.
struct Wire : ::testing::Test, WireHarness {
    Wire() : WireHarness({"llm.gemini", COWORK_LLM_GEMINI_SO, Json{{"max_retries", 2}}, "", kKey, {"GEMINI_API_KEY", "GOOGLE_API_KEY"}}) {}
};

TEST_F(Wire, MultiTurnParallelFunctionCalls) {
    server.enqueue(sse_reply({calls_chunk()}));
    const auto first = llm->complete(ask("turn-1"));
    ASSERT_EQ(first.status, COWORK_OK) << first.result.dump();
    EXPECT_EQ(first.result["stopReason"], "tool_use");
    const Json reply = first.result["message"];
    ASSERT_EQ(reply["content"].size(), 2u);
    const std::string id_a = reply["content"][0]["id"], id_b = reply["content"][1]["id"];

    Json next = ask("turn-2");
    next["messages"].push_back(reply);
    auto result = [](const std::string& id, const std::string& text) {
        Json part{{"type", "tool_result"}, {"toolCallId", id}, {"content", text}};
        return Json{{"role", "tool"}, {"content", Json::array({part})}};
    };
    next["messages"].push_back(result(id_b, "BBB"));
    next["messages"].push_back(result(id_a, "AAA"));
    server.enqueue(sse_reply({text_chunk("Both read."), final_chunk()}));
    const auto second = llm->complete(next);
    ASSERT_EQ(second.status, COWORK_OK) << second.result.dump();
    EXPECT_EQ(second.result["message"]["content"][0]["text"], "Both read.");

    const auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 2u);
    for (const auto& r : reqs) {
        EXPECT_EQ(r.method, "POST");
        EXPECT_EQ(r.target, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        EXPECT_EQ(r.headers.at("x-goog-api-key"), kKey);
        EXPECT_EQ(r.headers.count("authorization"), 0u);
    }
    const Json b = Json::parse(reqs[1].body);
    EXPECT_EQ(b["systemInstruction"]["parts"][0]["text"], "Be brief.");
    EXPECT_EQ(b["generationConfig"]["maxOutputTokens"], 256);
    EXPECT_EQ(b["tools"][0]["functionDeclarations"][0]["parameters"],
              Json::parse(R"({"type":"OBJECT","properties":{"path":{"type":"STRING"}}})"));
    const Json& c = b["contents"];
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[1]["role"], "model");
    // The first call's thought signature travels back with it.
    EXPECT_EQ(c[1]["parts"][0], Json::parse(R"({"functionCall":{"name":"tool_files_read_file","args":{"path":"a.md"}},"thoughtSignature":"c2ln"})"));
    EXPECT_EQ(c[2], Json::parse(R"({"role":"user","parts":[
        {"functionResponse":{"name":"tool_files_read_file","response":{"output":"AAA"}}},
        {"functionResponse":{"name":"tool_files_read_file","response":{"output":"BBB"}}}]})"));
}

TEST_F(Wire, NonStreamingGenerateContentWithUsageAndCost) {
    ScriptedResponse r;
    r.headers = {{"Content-Type", "application/json; charset=UTF-8"}};
    r.chunks = {R"({"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"MAX_TOKENS","index":0}],
                    "usageMetadata":{"promptTokenCount":1200,"cachedContentTokenCount":200,"candidatesTokenCount":80,"thoughtsTokenCount":20},
                    "modelVersion":"gemini-2.5-flash"})"};
    server.enqueue(r);
    const auto out = llm->complete(ask("ns", false));
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(server.requests().at(0).target, "/v1beta/models/gemini-2.5-flash:generateContent");
    EXPECT_TRUE(out.events.empty());
    EXPECT_EQ(out.result["stopReason"], "max_tokens");
    EXPECT_EQ(out.result["usage"], Json::parse(R"({"inputTokens":1000,"outputTokens":100,"cacheReadTokens":200,"cacheWriteTokens":0})"));
    EXPECT_NEAR(out.result["costUsd"].get<double>(), 0.000556, 1e-12);
}

TEST_F(Wire, RateLimitedWithRetryAfterThenSuccess) {
    server.enqueue(error_reply(429, "RESOURCE_EXHAUSTED", "Quota exceeded", {{"Retry-After", "0"}}));
    server.enqueue(sse_reply({text_chunk("ok"), final_chunk()}));
    const auto out = llm->complete(ask("r"));
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(out.result["attempts"], 2);
    const auto retries = events_of(out.events, "retry");
    ASSERT_EQ(retries.size(), 1u);
    EXPECT_EQ(retries[0]["attempt"], 2);
}

TEST_F(Wire, MidStreamErrorBeforeContentIsRetried) {
    server.enqueue(sse_reply({error_chunk("UNAVAILABLE", 503, "The model is overloaded.")}));
    server.enqueue(sse_reply({text_chunk("second"), final_chunk()}));
    const auto out = llm->complete(ask("m"));
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(out.result["attempts"], 2);
    EXPECT_EQ(out.result["message"]["content"][0]["text"], "second");
}

TEST_F(Wire, BadRequestCarriesGeminisMessage) {
    server.enqueue(error_reply(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \\\"foo\\\""));
    const auto out = llm->complete(ask("b"));
    EXPECT_EQ(out.code(), "bad_request");
    EXPECT_NE(out.result.value("message", "").find("Invalid JSON payload"), std::string::npos);
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(Wire, ForbiddenIsAuthNamingTheKeySetting) {
    server.enqueue(error_reply(403, "PERMISSION_DENIED", "API key not valid. Please pass a valid API key."));
    const auto out = llm->complete(ask("a"));
    EXPECT_EQ(out.code(), "auth");
    EXPECT_NE(out.result.value("message", "").find("API key not valid"), std::string::npos);
    EXPECT_NE(out.result.value("message", "").find(kSecret), std::string::npos);
}

TEST_F(Wire, GoogleApiKeyIsTheLastFallback) {
    TestHost bare{"llm.gemini", Json{{"base_url", server.base_url()}}};
    bare.set_http(http.table());
    ::setenv("GOOGLE_API_KEY", "from-google-env", 1);
    LoadedLlm env_llm(COWORK_LLM_GEMINI_SO, bare);
    server.enqueue(sse_reply({text_chunk("x"), final_chunk()}));
    const auto out = env_llm.complete(ask("e"));
    ::unsetenv("GOOGLE_API_KEY");
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(server.requests().at(0).headers.at("x-goog-api-key"), "from-google-env");
}

TEST_F(Wire, ConnectionDroppedMidStreamIsAnError) {
    // As for Anthropic: retried only when nothing reached the caller.
    for (int i = 0; i < 3; ++i) server.enqueue(sse_reply({text_chunk("half"), final_chunk()}, /*close_mid_body=*/true));
    const auto out = llm->complete(ask("cut"));
    EXPECT_NE(out.status, COWORK_OK);
    EXPECT_EQ(out.code(), "unavailable") << out.result.dump();
    EXPECT_FALSE(out.result.contains("stopReason"));
    const size_t attempts = server.requests().size();
    if (!events_of(out.events, "text_delta").empty()) EXPECT_EQ(attempts, 1u);
    else EXPECT_EQ(attempts, 3u);
}

TEST_F(Wire, CancelDuringAStreamReturnsCancelledPromptly) {
    ScriptedResponse slow = sse_reply({text_chunk("thinking"), final_chunk()});
    slow.delay_between = 30s;
    server.enqueue(slow);
    const auto started = std::chrono::steady_clock::now();
    auto pending = std::async(std::launch::async, [&] { return llm->complete(ask("slow")); });
    while (server.requests().empty() && std::chrono::steady_clock::now() - started < 10s) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(server.requests().size(), 1u);
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(llm->cancel("slow").result.value("cancelled", false));
    const auto out = pending.get();
    EXPECT_EQ(out.status, COWORK_E_CANCELLED);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
}

TEST_F(Wire, ListModels) {
    const auto out = llm->list_models();
    ASSERT_EQ(out.status, COWORK_OK);
    EXPECT_EQ(out.result["models"][0]["id"], "gemini-2.5-flash");
    EXPECT_EQ(out.result["models"][0]["contextWindow"], 1048576);
}

}  // namespace
}  // namespace cowork::llm_gemini
