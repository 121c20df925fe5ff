// The plugin through its C entry, against a scripted cowork.http/1: what
// it sends, what it returns, keys, retries, cancel, list_models.
#include "llm_test_host.hpp"

#include <gtest/gtest.h>

#include <future>

namespace cowork::openai {
namespace {

using Json = nlohmann::json;
using llm_testing::events_of;
using llm_testing::FakeHarness;
using llm_testing::FakeHttp;
using llm_testing::FakeReply;

const char* kKey = "sk-test-5ecret";

const std::vector<std::string> kAnswer = {
    "data: {\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
    "data: {\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100,\"prompt_tokens_details\":{\"cached_tokens\":200}}}\n\n",
    "data: [DONE]\n\n"};

Json hello(const std::string& id = "req-1") { return llm_testing::user_request(id, "gpt-4o-mini"); }

struct PluginFixture : ::testing::Test, FakeHarness {
    PluginFixture() : FakeHarness("llm.openai-compatible", COWORK_LLM_OPENAI_SO, Json{{"base_url", "http://127.0.0.1:9/v1"}, {"max_retries", 3}}, kKey) {}
};

TEST_F(PluginFixture, StreamsAnAnswerWithUsageCostAndTheKeyFromTheSecretStore) {
    http.enqueue({200, {{"content-type", "text/event-stream"}}, kAnswer});
    const auto out = llm->complete(hello());
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    const Json sent = http.requests().at(0);
    EXPECT_EQ(sent["url"], "http://127.0.0.1:9/v1/chat/completions");
    EXPECT_EQ(sent["headers"]["authorization"], std::string("Bearer ") + kKey);
    EXPECT_EQ(sent["requestId"], "req-1");
    EXPECT_EQ(Json::parse(sent["body"].get<std::string>())["messages"][0], Json({{"role", "user"}, {"content", "hi"}}));
    const Json& r = out.result;
    EXPECT_EQ(r["message"], Json::parse(R"({"role":"assistant","content":[{"type":"text","text":"Hi"}]})"));
    EXPECT_EQ(r["stopReason"], "end_turn");
    EXPECT_EQ(r["model"], "gpt-4o-mini-2024-07-18");
    EXPECT_EQ(r["attempts"], 1);
    EXPECT_TRUE(r["latencyMs"].is_number_integer());
    // 800 uncached × $0.15 + 200 cached × $0.075 + 100 out × $0.60, per million.
    EXPECT_NEAR(r["costUsd"].get<double>(), 0.000195, 1e-12);
    EXPECT_EQ(events_of(out.events, "text_delta").size(), 1u);
    for (const auto& line : host.logs()) EXPECT_EQ(line.find(kKey), std::string::npos);
}

TEST_F(PluginFixture, NonStreamingCallEmitsNoDeltasButReturnsTheSameResult) {
    http.enqueue({200, {}, kAnswer});
    Json req = hello();
    req["stream"] = false;
    const auto out = llm->complete(req);
    ASSERT_EQ(out.status, COWORK_OK);
    EXPECT_TRUE(out.events.empty());
    EXPECT_EQ(out.result["message"]["content"][0]["text"], "Hi");
}

TEST_F(PluginFixture, ConfigOverridesPricesOfAModel) {
    host.set_config(Json{{"base_url", "http://127.0.0.1:9/v1"}, {"models", {{"gpt-4o-mini", {{"input_per_mtok", 1.0}}}}}});
    http.enqueue({200, {}, kAnswer});
    const auto out = llm->complete(hello());
    // 800 × $1 + 200 × $0.075 + 100 × $0.60 per million (built-ins kept for the rest).
    EXPECT_NEAR(out.result["costUsd"].get<double>(), 0.000875, 1e-12);
}

TEST_F(PluginFixture, A429IsRetriedAndAnnounced) {
    http.enqueue({429, {{"retry-after-ms", "5"}}, {R"({"error":{"message":"Rate limit reached","type":"requests"}})"}});
    http.enqueue({200, {}, kAnswer});
    const auto out = llm->complete(hello());
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(out.result["attempts"], 2);
    const auto retries = events_of(out.events, "retry");
    ASSERT_EQ(retries.size(), 1u);
    EXPECT_EQ(retries[0]["delayMs"], 5);
}

TEST_F(PluginFixture, UnauthorizedSaysWhereTheKeyCameFromWithoutQuotingIt) {
    http.enqueue({401, {}, {R"({"error":{"message":"Incorrect API key provided: sk-test-*****cret.","type":"invalid_request_error","code":"invalid_api_key"}})"}});
    const auto out = llm->complete(hello());
    EXPECT_EQ(out.code(), "auth");
    const std::string message = out.result.value("message", "");
    EXPECT_NE(message.find("Incorrect API key provided"), std::string::npos);
    EXPECT_NE(message.find("secret plugin.llm.openai-compatible.api_key"), std::string::npos);
    EXPECT_EQ(message.find(kKey), std::string::npos);
}

TEST_F(PluginFixture, AStreamThatStopsWithoutFinishingIsUnavailable) {
    http.enqueue({200, {}, {kAnswer[0]}});
    const auto out = llm->complete(hello());
    EXPECT_EQ(out.code(), "unavailable");
    EXPECT_FALSE(out.result.contains("message") && out.result["message"].is_object());
}

TEST_F(PluginFixture, CancelFromAnotherThreadEndsTheCallAsCancelled) {
    FakeReply hanging{200, {}, {kAnswer[0]}};
    hanging.block_until_cancelled = true;
    http.enqueue(hanging);
    auto running = std::async(std::launch::async, [&] { return llm->complete(hello("job-1")); });
    http.wait_blocked();
    EXPECT_EQ(llm->cancel("job-1").result["cancelled"], true);
    const auto out = running.get();
    EXPECT_EQ(out.status, COWORK_E_CANCELLED);
    EXPECT_EQ(out.code(), "cancelled");
    EXPECT_EQ(llm->cancel("job-1").result["cancelled"], false);  // no longer running
}

TEST_F(PluginFixture, ProfilesRouteByModelPrefix) {
    host.set_config(Json::parse(R"({"base_url":"http://127.0.0.1:9/v1","profiles":{"local":{"base_url":"http://127.0.0.1:8/v1",
        "models":{"qwen":{"context_window":32768}}}}})"));
    http.enqueue({200, {}, kAnswer});
    Json req = hello();
    req["model"] = "local:qwen";
    ASSERT_EQ(llm->complete(req).status, COWORK_OK);
    const Json sent = http.requests().at(0);
    EXPECT_EQ(sent["url"], "http://127.0.0.1:8/v1/chat/completions");
    EXPECT_FALSE(sent["headers"].contains("authorization"));  // no key for this profile
    EXPECT_EQ(Json::parse(sent["body"].get<std::string>())["model"], "qwen");
    // list_models names the profile's models as they are requested.
    bool listed = false;
    const auto models = llm->list_models();  // kept alive: the loop reads into it
    for (const auto& m : models.result["models"])
        if (m["id"] == "local:qwen") listed = m["contextWindow"] == 32768;
    EXPECT_TRUE(listed);
}

TEST_F(PluginFixture, ListModelsHasTheBuiltInPrices) {
    const auto out = llm->list_models();
    ASSERT_EQ(out.status, COWORK_OK);
    Json mini;
    for (const auto& m : out.result["models"])
        if (m["id"] == "gpt-4o-mini") mini = m;
    ASSERT_TRUE(mini.is_object());
    EXPECT_EQ(mini["pricing"]["inputPerMTok"], 0.15);
    EXPECT_EQ(mini["contextWindow"], 128000);
}

TEST_F(PluginFixture, MissingModelIsInvalid) {
    const auto out = llm->complete(Json{{"messages", Json::array()}});
    EXPECT_EQ(out.status, COWORK_E_INVALID);
}

}  // namespace
}  // namespace cowork::openai
