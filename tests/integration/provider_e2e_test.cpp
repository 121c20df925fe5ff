// A multi-step task from the CLI through each real provider plugin: the
// plugin talks to a local server speaking that provider's documented
// streaming format (OpenAI SSE, Anthropic SSE, Ollama NDJSON, Gemini SSE).
// Turn 1 asks for tool.files.write_file (policy asks; approved on stdin),
// turn 2 answers in text; the file exists and the task completed.
#include "process_helpers.hpp"

#include "scripted_http_server.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace cowork::e2e;
using cowork::testing::RecordedRequest;
using cowork::testing::ScriptedResponse;
using cowork::testing::ScriptedServer;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const json kArgs = {{"path", "hello.txt"}, {"content", "written through a provider\n"}};

// The provider-side name the plugin gave tool.files.write_file in this
// request (each plugin maps names its own way; the test must not guess).
std::string write_tool_name(const json& tools, const std::function<std::string(const json&)>& name_of) {
    for (const auto& t : tools)
        if (name_of(t).find("write_file") != std::string::npos) return name_of(t);
    return "missing_write_file_tool";
}

bool has_tool_result(const std::string& body) { return body.find("hello.txt") != std::string::npos &&
                                                       (body.find("tool_result") != std::string::npos ||
                                                        body.find("\"tool\"") != std::string::npos ||
                                                        body.find("functionResponse") != std::string::npos); }

ScriptedResponse sse(std::vector<std::string> events) {
    ScriptedResponse r;
    r.headers = {{"Content-Type", "text/event-stream"}};
    r.chunks = std::move(events);
    r.chunked = true;
    return r;
}

ScriptedResponse openai(const RecordedRequest& req) {
    const json body = json::parse(req.body);
    auto chunk = [](const json& delta, const json& finish) {
        return "data: " + json{{"id", "c1"}, {"object", "chat.completion.chunk"}, {"created", 1}, {"model", "gpt-4o-mini"},
                               {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}}.dump() + "\n\n";
    };
    const std::string usage = "data: " + json{{"id", "c1"}, {"object", "chat.completion.chunk"}, {"choices", json::array()},
                                              {"usage", {{"prompt_tokens", 40}, {"completion_tokens", 9}, {"total_tokens", 49}}}}.dump() + "\n\n";
    if (has_tool_result(req.body))
        return sse({chunk({{"role", "assistant"}, {"content", "Done."}}, nullptr), chunk(json::object(), "stop"), usage, "data: [DONE]\n\n"});
    const std::string name = write_tool_name(body["tools"], [](const json& t) { return t["function"]["name"].get<std::string>(); });
    return sse({chunk({{"role", "assistant"}, {"content", nullptr},
                       {"tool_calls", {{{"index", 0}, {"id", "call_1"}, {"type", "function"}, {"function", {{"name", name}, {"arguments", ""}}}}}}},
                      nullptr),
                chunk({{"tool_calls", {{{"index", 0}, {"function", {{"arguments", kArgs.dump()}}}}}}}, nullptr),
                chunk(json::object(), "tool_calls"), usage, "data: [DONE]\n\n"});
}

ScriptedResponse anthropic(const RecordedRequest& req) {
    const json body = json::parse(req.body);
    auto ev = [](const std::string& type, const json& data) { return "event: " + type + "\ndata: " + data.dump() + "\n\n"; };
    std::vector<std::string> out{ev("message_start", {{"type", "message_start"},
                                                      {"message", {{"id", "msg_1"}, {"type", "message"}, {"role", "assistant"},
                                                                   {"model", "claude-test"}, {"content", json::array()},
                                                                   {"stop_reason", nullptr}, {"usage", {{"input_tokens", 40}, {"output_tokens", 1}}}}}})};
    std::string stop = "end_turn";
    if (has_tool_result(req.body)) {
        out.push_back(ev("content_block_start", {{"type", "content_block_start"}, {"index", 0}, {"content_block", {{"type", "text"}, {"text", ""}}}}));
        out.push_back(ev("content_block_delta", {{"type", "content_block_delta"}, {"index", 0}, {"delta", {{"type", "text_delta"}, {"text", "Done."}}}}));
    } else {
        const std::string name = write_tool_name(body["tools"], [](const json& t) { return t["name"].get<std::string>(); });
        out.push_back(ev("content_block_start", {{"type", "content_block_start"}, {"index", 0},
                                                 {"content_block", {{"type", "tool_use"}, {"id", "toolu_1"}, {"name", name}, {"input", json::object()}}}}));
        out.push_back(ev("content_block_delta", {{"type", "content_block_delta"}, {"index", 0},
                                                 {"delta", {{"type", "input_json_delta"}, {"partial_json", kArgs.dump()}}}}));
        stop = "tool_use";
    }
    out.push_back(ev("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}}));
    out.push_back(ev("message_delta", {{"type", "message_delta"}, {"delta", {{"stop_reason", stop}}}, {"usage", {{"output_tokens", 9}}}}));
    out.push_back(ev("message_stop", {{"type", "message_stop"}}));
    return sse(out);
}

ScriptedResponse ollama(const RecordedRequest& req) {
    const json body = json::parse(req.body);
    ScriptedResponse r;
    r.headers = {{"Content-Type", "application/x-ndjson"}};
    r.chunked = true;
    const json done{{"model", "llama3.1"}, {"created_at", "2026-11-25T00:00:00Z"}, {"message", {{"role", "assistant"}, {"content", ""}}},
                    {"done", true}, {"done_reason", "stop"}, {"prompt_eval_count", 40}, {"eval_count", 9}};
    if (has_tool_result(req.body)) {
        r.chunks = {json{{"model", "llama3.1"}, {"created_at", "2026-11-25T00:00:00Z"},
                         {"message", {{"role", "assistant"}, {"content", "Done."}}}, {"done", false}}.dump() + "\n",
                    done.dump() + "\n"};
    } else {
        const std::string name = write_tool_name(body["tools"], [](const json& t) { return t["function"]["name"].get<std::string>(); });
        r.chunks = {json{{"model", "llama3.1"}, {"created_at", "2026-11-25T00:00:00Z"},
                         {"message", {{"role", "assistant"}, {"content", ""},
                                      {"tool_calls", {{{"function", {{"name", name}, {"arguments", kArgs}}}}}}}},
                         {"done", false}}.dump() + "\n",
                    done.dump() + "\n"};
    }
    return r;
}

ScriptedResponse gemini(const RecordedRequest& req) {
    const json body = json::parse(req.body);
    json part;
    if (has_tool_result(req.body)) {
        part = {{"text", "Done."}};
    } else {
        const std::string name = write_tool_name(body["tools"][0]["functionDeclarations"],
                                                 [](const json& t) { return t["name"].get<std::string>(); });
        part = {{"functionCall", {{"name", name}, {"args", kArgs}}}};
    }
    const json chunk{{"candidates", {{{"content", {{"role", "model"}, {"parts", {part}}}}, {"finishReason", "STOP"}, {"index", 0}}}},
                     {"usageMetadata", {{"promptTokenCount", 40}, {"candidatesTokenCount", 9}, {"totalTokenCount", 49}}}};
    return sse({"data: " + chunk.dump() + "\r\n\r\n"});
}

struct ProviderCase {
    std::string plugin;
    std::string model;
    std::vector<std::string> paths;  // where the plugin posts
    std::function<ScriptedResponse(const RecordedRequest&)> respond;
    std::function<std::map<std::string, std::string>(const std::string& base)> env;
};

std::vector<ProviderCase> cases() {
    return {
        {"llm.openai-compatible", "gpt-4o-mini", {"/v1/chat/completions"}, openai,
         [](const std::string& b) { return std::map<std::string, std::string>{{"OPENAI_API_KEY", "sk-test-openai"}, {"OPENAI_BASE_URL", b + "/v1"}}; }},
        {"llm.anthropic", "claude-sonnet-4-5", {"/v1/messages"}, anthropic,
         [](const std::string& b) { return std::map<std::string, std::string>{{"ANTHROPIC_API_KEY", "sk-ant-test"}, {"ANTHROPIC_BASE_URL", b}}; }},
        {"llm.ollama", "llama3.1", {"/api/chat"}, ollama,
         [](const std::string& b) { return std::map<std::string, std::string>{{"OLLAMA_HOST", b}}; }},
        {"llm.gemini", "gemini-2.5-flash",
         {"/v1beta/models/gemini-2.5-flash:streamGenerateContent", "/v1beta/models/gemini-2.5-flash:generateContent"}, gemini,
         [](const std::string& b) { return std::map<std::string, std::string>{{"GEMINI_API_KEY", "gm-test"}, {"GOOGLE_GEMINI_BASE_URL", b}}; }},
    };
}

class ProviderE2E : public ::testing::TestWithParam<size_t> {};

}  // namespace

TEST_P(ProviderE2E, CliTaskWithToolCallApprovalAndCompletion) {
    const ProviderCase c = cases()[GetParam()];
    if (!fs::exists(build_out() / "lib/cowork/plugins" / c.plugin))
        GTEST_SKIP() << c.plugin << " is not built in this tree (bundled plugins off)";
    ScriptedServer server;
    for (const auto& p : c.paths) server.route("POST", p, c.respond);
    Home home;
    const fs::path workspace = home.path() / "ws";
    fs::create_directories(workspace);
    const std::vector<std::string> argv{bin("cowork").string(), "run", "write hello.txt", "--workspace", workspace.string(),
                                        "--provider", c.plugin, "--model", c.model, "--approve-stdin"};
    const cowork::e2e::Run r = run(argv, home, "y\n", c.env(server.base_url()));
    ASSERT_EQ(r.exit_code, 0) << c.plugin << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err;
    std::ifstream written(workspace / "hello.txt");
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(written), {}), "written through a provider\n");
    size_t turns = 0;  // model listing (e.g. Ollama's /api/tags) is not a turn
    for (const auto& req : server.requests())
        for (const auto& p : c.paths) turns += req.method == "POST" && req.target.rfind(p, 0) == 0;
    EXPECT_EQ(turns, 2u) << "one completion request per turn";
    EXPECT_NE(r.out.find("Done."), std::string::npos) << "the final answer streams to the terminal: " << r.out;
    // The API key travelled in the provider's own header, never in the log.
    const std::string all = home.all_text();
    for (const auto& [k, v] : c.env(server.base_url()))
        if (k.find("KEY") != std::string::npos) {
            EXPECT_EQ(all.find(v), std::string::npos) << k << " leaked to disk";
        }
}

std::string provider_name(const ::testing::TestParamInfo<size_t>& info) {
    static const std::vector<std::string> names{"OpenAICompatible", "Anthropic", "Ollama", "Gemini"};
    return names[info.param];
}

INSTANTIATE_TEST_SUITE_P(AllFourProviders, ProviderE2E, ::testing::Values(0, 1, 2, 3), provider_name);
