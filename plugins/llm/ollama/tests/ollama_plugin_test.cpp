// llm.ollama through its C entry against a scripted cowork.http/1.
#include "llm_test_host.hpp"

#include <gtest/gtest.h>

#include <future>

namespace cowork::ollama {
namespace {

using Json = nlohmann::json;
using llm_testing::events_of;
using llm_testing::FakeHarness;
using llm_testing::FakeHttp;
using llm_testing::FakeReply;

const std::vector<std::string> kAnswer = {
    "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n",
    "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":9,\"eval_count\":2}\n"};

Json hello(const std::string& id = "o-1") { return llm_testing::user_request(id, "llama3.2"); }

struct OllamaFixture : ::testing::Test, FakeHarness {
    OllamaFixture() : FakeHarness("llm.ollama", COWORK_LLM_OLLAMA_SO, Json{{"base_url", "http://127.0.0.1:7"}}, "") {}
};

TEST_F(OllamaFixture, CompletesWithCountsAndNoCost) {
    http.enqueue({200, {{"content-type", "application/x-ndjson"}}, kAnswer});
    const auto out = llm->complete(hello());
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    const Json sent = http.requests().at(0);
    EXPECT_EQ(sent["url"], "http://127.0.0.1:7/api/chat");
    EXPECT_FALSE(sent["headers"].contains("authorization"));
    EXPECT_EQ(Json::parse(sent["body"].get<std::string>())["model"], "llama3.2");
    EXPECT_EQ(out.result["message"]["content"][0]["text"], "Hi");
    EXPECT_EQ(out.result["usage"]["inputTokens"], 9);
    EXPECT_EQ(out.result["costUsd"], 0.0);
    EXPECT_EQ(out.result["stopReason"], "end_turn");
    EXPECT_EQ(events_of(out.events, "text_delta").size(), 1u);
}

TEST_F(OllamaFixture, AStreamWithoutItsDoneLineIsUnavailable) {
    http.enqueue({200, {}, {kAnswer[0]}});
    EXPECT_EQ(llm->complete(hello()).code(), "unavailable");
}

TEST_F(OllamaFixture, UnknownModelIsBadRequestWithOllamasMessage) {
    http.enqueue({404, {}, {R"({"error":"model \"nope\" not found, try pulling it first"})"}});
    const auto out = llm->complete(hello());
    EXPECT_EQ(out.code(), "bad_request");
    EXPECT_NE(out.result["message"].get<std::string>().find("try pulling it first"), std::string::npos);
}

TEST_F(OllamaFixture, ListModelsAsksTagsThenShowPerModel) {
    http.enqueue({200, {}, {R"({"models":[{"name":"llama3.2:latest"},{"name":"qwen3:8b"}]})"}});
    http.enqueue({200, {}, {R"({"model_info":{"general.architecture":"llama","llama.context_length":131072}})"}});
    http.enqueue({500, {}, {R"({"error":"boom"})"}});  // show fails for qwen3 (then retried: no more replies)
    host.set_config(Json{{"base_url", "http://127.0.0.1:7"}, {"max_retries", 0}});
    const auto out = llm->list_models();
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    ASSERT_EQ(out.result["models"].size(), 2u);
    EXPECT_EQ(out.result["models"][0]["id"], "llama3.2:latest");
    EXPECT_EQ(out.result["models"][0]["contextWindow"], 131072);
    EXPECT_EQ(out.result["models"][1]["contextWindow"], 0);
    const auto sent = http.requests();
    EXPECT_EQ(sent[0]["method"], "GET");
    EXPECT_EQ(sent[0]["url"], "http://127.0.0.1:7/api/tags");
    EXPECT_EQ(sent[1]["url"], "http://127.0.0.1:7/api/show");
    EXPECT_EQ(Json::parse(sent[1]["body"].get<std::string>()), Json({{"model", "llama3.2:latest"}}));
}

TEST_F(OllamaFixture, CancelFromAnotherThread) {
    FakeReply hanging{200, {}, {kAnswer[0]}};
    hanging.block_until_cancelled = true;
    http.enqueue(hanging);
    auto running = std::async(std::launch::async, [&] { return llm->complete(hello("o-9")); });
    http.wait_blocked();
    EXPECT_EQ(llm->cancel("o-9").result["cancelled"], true);
    EXPECT_EQ(running.get().code(), "cancelled");
}

}  // namespace
}  // namespace cowork::ollama
