// llm.ollama byte for byte on the wire: the plugin through its C entry, the
// kernel's real cowork.http/1 and a scripted server on 127.0.0.1 speaking
// Ollama's /api/chat NDJSON (chunked, one JSON object per line).
#include "llm_test_host.hpp"

#include <gtest/gtest.h>

namespace {

using Json = nlohmann::json;
using cowork::llm_testing::events_of;
using cowork::llm_testing::WireHarness;
using cowork::testing::RecordedRequest;
using cowork::testing::ScriptedResponse;

using cowork::llm_testing::json_reply;

ScriptedResponse ndjson(std::vector<std::string> lines) {
    return cowork::llm_testing::streamed("application/x-ndjson", std::move(lines));
}

const std::string kCalls =
    R"({"model":"qwen3","created_at":"2025-05-27T22:54:58Z","message":{"role":"assistant","content":"","tool_calls":[)"
    R"({"function":{"name":"tool_files_read_file","arguments":{"path":"a.md"}}},)"
    R"({"function":{"name":"tool_files_list","arguments":{}}}]},"done":false})"
    "\n";
const std::string kDone =
    R"({"model":"qwen3","created_at":"2025-05-27T22:54:59Z","message":{"role":"assistant","content":""},"done":true,)"
    R"("done_reason":"stop","prompt_eval_count":42,"eval_count":17})"
    "\n";

std::string text_line(const std::string& text) {
    return R"({"model":"qwen3","message":{"role":"assistant","content":")" + text + R"("},"done":false})" "\n";
}

// The plugin, the kernel's real http service and a scripted server.
struct Wire : ::testing::Test, WireHarness {
    Wire() : WireHarness({"llm.ollama", COWORK_LLM_OLLAMA_SO, Json{{"max_retries", 2}}, "", "", {"OLLAMA_HOST"}}) {}
    static Json turn(const std::string& id) {
        return Json::parse(R"({"requestId":")" + id + R"(","model":"qwen3","stream":true,"system":"Be brief.",
          "messages":[{"role":"user","content":[{"type":"text","text":"Read a.md"}]}],
          "tools":[{"name":"tool.files.read_file","description":"Read","inputSchema":{"type":"object"}},
                   {"name":"tool.files.list","description":"List","inputSchema":{"type":"object"}}]})");
    }
};

Json body_of(const RecordedRequest& r) { return Json::parse(r.body); }

TEST_F(Wire, MultiTurnToolUseOverRealHttp) {
    server.enqueue(ndjson({text_line("Let me look."), kCalls, kDone}));
    const auto first = llm->complete(turn("o-1"));
    ASSERT_EQ(first.status, COWORK_OK) << first.result.dump();
    EXPECT_EQ(first.result["stopReason"], "tool_use");
    const Json reply = first.result["message"];
    ASSERT_EQ(reply["content"].size(), 3u);
    EXPECT_EQ(reply["content"][0], Json::parse(R"({"type":"text","text":"Let me look."})"));
    EXPECT_EQ(reply["content"][1], Json::parse(R"({"type":"tool_call","id":"call_0","name":"tool.files.read_file","arguments":{"path":"a.md"}})"));
    EXPECT_EQ(reply["content"][2]["name"], "tool.files.list");
    EXPECT_EQ(first.result["usage"], Json::parse(R"({"inputTokens":42,"outputTokens":17,"cacheReadTokens":0,"cacheWriteTokens":0})"));
    EXPECT_EQ(first.result["costUsd"], 0.0);
    EXPECT_EQ(first.result["model"], "qwen3");
    EXPECT_EQ(events_of(first.events, "tool_call_start").size(), 2u);
    EXPECT_EQ(events_of(first.events, "text_delta").size(), 1u);

    // Turn 2: the assistant turn as returned, then its tool results.
    Json next = turn("o-2");
    next["messages"].push_back(reply);
    next["messages"].push_back(Json::parse(R"({"role":"tool","content":[
        {"type":"tool_result","toolCallId":"call_0","content":"AAA","isError":false},
        {"type":"tool_result","toolCallId":"call_1","content":"denied","isError":true}]})"));
    server.enqueue(ndjson({text_line("Done."), kDone}));
    const auto second = llm->complete(next);
    ASSERT_EQ(second.status, COWORK_OK) << second.result.dump();
    EXPECT_EQ(second.result["message"]["content"][0]["text"], "Done.");

    const auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 2u);
    for (const auto& r : reqs) {
        EXPECT_EQ(r.method, "POST");
        EXPECT_EQ(r.target, "/api/chat");
        EXPECT_EQ(r.headers.count("authorization"), 0u);  // local: no key
        EXPECT_EQ(r.headers.at("content-type"), "application/json");
    }
    const Json b = body_of(reqs[1]);
    EXPECT_EQ(b["model"], "qwen3");
    EXPECT_EQ(b["stream"], true);
    EXPECT_EQ(b["tools"][0]["function"]["name"], "tool_files_read_file");
    const Json& m = b["messages"];
    ASSERT_EQ(m.size(), 5u);
    EXPECT_EQ(m[0], Json::parse(R"({"role":"system","content":"Be brief."})"));
    EXPECT_EQ(m[2]["tool_calls"][0], Json::parse(R"({"function":{"name":"tool_files_read_file","arguments":{"path":"a.md"}}})"));
    EXPECT_EQ(m[3], Json::parse(R"({"role":"tool","content":"AAA","tool_name":"tool_files_read_file"})"));
    EXPECT_EQ(m[4], Json::parse(R"({"role":"tool","content":"[tool error] denied","tool_name":"tool_files_list"})"));
}

TEST_F(Wire, ArgumentsThatAreNotJsonComeBackAsArgumentsError) {
    server.enqueue(ndjson({R"({"model":"qwen3","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"tool_files_read_file","arguments":"{\"path\": a.md"}}]},"done":false})"
                           "\n",
                           kDone}));
    const auto out = llm->complete(turn("bad"));
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    const Json& part = out.result["message"]["content"][0];
    EXPECT_EQ(part["name"], "tool.files.read_file");
    EXPECT_EQ(part["arguments"], Json::object());
    EXPECT_EQ(part["argumentsError"], "the arguments are not valid JSON: {\"path\": a.md");
    EXPECT_EQ(out.result["stopReason"], "tool_use");
}

TEST_F(Wire, LinesSplitAcrossChunksAndALastLineWithoutNewline) {
    const std::string all = text_line("Hel") + text_line("lo") + kDone.substr(0, kDone.size() - 1);
    server.enqueue(ndjson({all.substr(0, 30), all.substr(30, 50), all.substr(80)}));
    const auto out = llm->complete(turn("split"));
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(out.result["message"]["content"][0]["text"], "Hello");
    EXPECT_EQ(out.result["stopReason"], "end_turn");
}

TEST_F(Wire, UnknownModelIsBadRequestAndNotRetried) {
    server.enqueue(json_reply(404, R"({"error":"model \"qwen3\" not found, try pulling it first"})"));
    const auto out = llm->complete(turn("nf"));
    EXPECT_EQ(out.code(), "bad_request");
    EXPECT_NE(out.result.value("message", "").find("try pulling it first"), std::string::npos);
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(Wire, ServerErrorIsRetriedThenSucceeds) {
    server.enqueue(json_reply(500, R"({"error":"llama runner process has terminated"})"));
    server.enqueue(ndjson({text_line("ok"), kDone}));
    const auto out = llm->complete(turn("r"));
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    EXPECT_EQ(out.result["attempts"], 2);
    EXPECT_EQ(events_of(out.events, "retry").size(), 1u);
}

TEST_F(Wire, StreamWithoutItsDoneLineIsUnavailable) {
    ScriptedResponse cut = ndjson({text_line("half"), kDone});
    cut.close_mid_body = true;
    for (int i = 0; i < 3; ++i) server.enqueue(cut);
    const auto out = llm->complete(turn("cut"));
    EXPECT_EQ(out.code(), "unavailable") << out.result.dump();
    EXPECT_FALSE(out.result.contains("stopReason"));
}

TEST_F(Wire, ListModelsReadsTagsAndShow) {
    server.route("GET", "/api/tags", [](const RecordedRequest&) {
        return json_reply(200, R"({"models":[{"name":"qwen3:8b","model":"qwen3:8b"}]})");
    });
    server.route("POST", "/api/show", [](const RecordedRequest&) {
        return json_reply(200, R"({"model_info":{"general.architecture":"qwen3","qwen3.context_length":40960}})");
    });
    const auto out = llm->list_models();
    ASSERT_EQ(out.status, COWORK_OK) << out.result.dump();
    ASSERT_EQ(out.result["models"].size(), 1u);
    EXPECT_EQ(out.result["models"][0]["id"], "qwen3:8b");
    EXPECT_EQ(out.result["models"][0]["contextWindow"], 40960);
    EXPECT_EQ(body_of(server.requests().at(1)), Json({{"model", "qwen3:8b"}}));
}

}  // namespace
