// End-to-end: the real coworkd loads frontend.mcp-host (HTTP on an ephemeral
// port, tokens from the secrets service) and the tool.mcp-conformance
// fixture; the tests speak Streamable HTTP to it over real sockets, and run
// the real `cowork mcp serve` over pipes.
#include "http_client.hpp"
#include "mcp_daemon.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

using mcp_test::Json;
using mcp_test::McpClient;
using mcp_test::McpDaemon;
namespace e2e = cowork::e2e;
namespace fs = std::filesystem;

namespace {

bool has_tool(const Json& tools, const std::string& name) {
    for (const auto& t : tools)
        if (t.value("name", "") == name) return true;
    return false;
}

Json find_named(const Json& list, const std::string& key, const std::string& value) {
    for (const auto& t : list)
        if (t.value(key, "") == value) return t;
    return nullptr;
}

std::string first_text(const Json& result) {
    const Json& c = result.value("content", Json::array());
    return c.empty() ? "" : c[0].value("text", "");
}

}  // namespace

TEST(McpHttp, ToolsResourcesPromptsThroughTheKernel) {
    McpDaemon d;
    ASSERT_TRUE(d.ok()) << "daemon or listener.json missing";
    std::ofstream(d.workspace() / "hello.txt") << "hello from the workspace\n";
    McpClient c(d.port(), McpDaemon::kOperatorToken);
    const auto init = c.initialize();
    ASSERT_EQ(init.status, 200) << init.body;
    EXPECT_EQ(init.json()["result"]["protocolVersion"], "2025-06-18");
    EXPECT_TRUE(init.json()["result"]["capabilities"]["tools"]["listChanged"].get<bool>());
    ASSERT_EQ(c.session().size(), 64u) << "32 random bytes, hex";

    EXPECT_EQ(c.call("ping")["result"], Json::object());
    const Json tools = c.call("tools/list")["result"]["tools"];
    const Json read_file = find_named(tools, "name", "tool.files.read_file");
    ASSERT_TRUE(read_file.is_object()) << tools.dump();
    EXPECT_TRUE(read_file["annotations"]["readOnlyHint"].get<bool>());
    EXPECT_TRUE(read_file["inputSchema"]["properties"].contains("path"));
    EXPECT_TRUE(read_file["inputSchema"]["properties"].contains("cowork_workspace"));
    EXPECT_TRUE(has_tool(tools, "test_simple_text")) << "bare_tool_plugins drops the prefix";
    EXPECT_FALSE(has_tool(tools, "mcp_catalog")) << "the catalog tool is the host's, not the client's";
    const Json schema = find_named(tools, "name", "json_schema_2020_12_tool")["inputSchema"];
    EXPECT_EQ(schema.value("$schema", ""), "https://json-schema.org/draft/2020-12/schema");
    EXPECT_TRUE(schema.contains("$defs"));

    const Json read = c.call("tools/call", {{"name", "tool.files.read_file"}, {"arguments", {{"path", "hello.txt"}}}});
    ASSERT_TRUE(read.contains("result")) << read.dump();
    EXPECT_FALSE(read["result"]["isError"].get<bool>()) << read.dump();
    EXPECT_NE(first_text(read["result"]).find("hello from the workspace"), std::string::npos) << read.dump();
    const Json unknown = c.call("tools/call", {{"name", "no.such.tool"}});
    EXPECT_EQ(unknown["error"]["code"], -32602);

    const Json ws = c.call("resources/read", {{"uri", "cowork://workspaces"}});
    ASSERT_TRUE(ws.contains("result")) << ws.dump();
    EXPECT_EQ(ws["result"]["contents"][0]["mimeType"], "application/json");
    EXPECT_TRUE(Json::parse(ws["result"]["contents"][0].value("text", "")).is_array());
    const Json missing = c.call("resources/read", {{"uri", "cowork://tasks/does-not-exist"}});
    EXPECT_EQ(missing["error"]["code"], -32002) << missing.dump();
    const Json templates = c.call("resources/templates/list")["result"]["resourceTemplates"];
    EXPECT_TRUE(find_named(templates, "uriTemplate", "cowork://tasks/{id}/events").is_object()) << templates.dump();
    const Json resources = c.call("resources/list")["result"]["resources"];
    EXPECT_TRUE(find_named(resources, "uri", "cowork://tasks").is_object());
    EXPECT_TRUE(find_named(resources, "uri", "test://static-text").is_object()) << "catalog plugin resources";

    const Json prompts = c.call("prompts/list")["result"]["prompts"];
    const Json review = find_named(prompts, "name", "code-review");
    ASSERT_TRUE(review.is_object()) << prompts.dump();
    EXPECT_TRUE(find_named(review["arguments"], "name", "path")["required"].get<bool>());
    const Json got = c.call("prompts/get", {{"name", "code-review"}, {"arguments", {{"path", "src/main.cpp"}}}});
    EXPECT_NE(got["result"]["messages"][0]["content"].value("text", "").find("src/main.cpp"), std::string::npos) << got.dump();
    EXPECT_EQ(c.call("prompts/get", {{"name", "code-review"}})["error"]["code"], -32602) << "required argument missing";
    const Json completion = c.call("completion/complete", {{"ref", {{"type", "ref/prompt"}, {"name", "code-review"}}},
                                                           {"argument", {{"name", "focus"}, {"value", "corr"}}}});
    ASSERT_EQ(completion["result"]["completion"]["values"].size(), 1u) << completion.dump();
    EXPECT_EQ(c.call("logging/setLevel", {{"level", "debug"}})["result"], Json::object());
    EXPECT_EQ(c.call("logging/setLevel", {{"level", "loud"}})["error"]["code"], -32602);
}

TEST(McpHttp, PaginationWalksEveryToolOnce) {
    McpDaemon d(Json{{"page_size", 3}});
    ASSERT_TRUE(d.ok());
    McpClient c(d.port(), McpDaemon::kOperatorToken);
    ASSERT_EQ(c.initialize().status, 200);
    std::set<std::string> names;
    Json page = c.call("tools/list")["result"];
    size_t pages = 1;
    while (page.contains("nextCursor")) {
        EXPECT_LE(page["tools"].size(), 3u);
        for (const auto& t : page["tools"]) EXPECT_TRUE(names.insert(t["name"]).second) << "listed twice: " << t["name"];
        page = c.call("tools/list", {{"cursor", page["nextCursor"]}})["result"];
        ++pages;
    }
    for (const auto& t : page["tools"]) names.insert(t["name"]);
    EXPECT_GT(pages, 2u);
    EXPECT_TRUE(names.count("tool.files.read_file"));
    EXPECT_TRUE(names.count("test_simple_text"));
    EXPECT_EQ(c.call("tools/list", {{"cursor", "forged"}})["error"]["code"], -32602);
}

TEST(McpHttp, TokensAndScopesAreEnforced) {
    McpDaemon d;
    ASSERT_TRUE(d.ok());
    McpClient none(d.port(), "");
    const auto r1 = none.initialize();
    EXPECT_EQ(r1.status, 401);
    EXPECT_NE(r1.header("www-authenticate").find("Bearer"), std::string::npos);
    McpClient wrong(d.port(), "op-token-0123456789abcdefghijklmnoX");
    EXPECT_EQ(wrong.initialize().status, 401);

    // A read identity sees resources but cannot run tools: tool.call needs write.
    McpClient reader(d.port(), McpDaemon::kReaderToken);
    ASSERT_EQ(reader.initialize().status, 200);
    EXPECT_TRUE(reader.call("resources/read", {{"uri", "cowork://workspaces"}}).contains("result"));
    const Json write = reader.call("tools/call", {{"name", "tool.files.write_file"},
                                                  {"arguments", {{"path", "x.txt"}, {"content", "no"}}}});
    EXPECT_TRUE(write["result"]["isError"].get<bool>()) << write.dump();
    EXPECT_NE(first_text(write["result"]).find("role read"), std::string::npos) << write.dump();
    EXPECT_FALSE(fs::exists(d.workspace() / "x.txt"));

    // An operator's side-effecting call meets the policy's default "ask": it
    // does not hang, nothing runs, and the result says how to allow it.
    McpClient op(d.port(), McpDaemon::kOperatorToken);
    ASSERT_EQ(op.initialize().status, 200);
    const Json asked = op.call("tools/call", {{"name", "tool.files.write_file"},
                                              {"arguments", {{"path", "y.txt"}, {"content", "no"}}}});
    EXPECT_TRUE(asked["result"]["isError"].get<bool>()) << asked.dump();
    EXPECT_NE(first_text(asked["result"]).find("[[policy.tool_rules]]"), std::string::npos) << asked.dump();
    EXPECT_FALSE(fs::exists(d.workspace() / "y.txt"));

    // A session belongs to the identity that opened it.
    auto hijack = op.headers();
    hijack["Authorization"] = std::string("Bearer ") + McpDaemon::kReaderToken;
    const auto stolen = mcp_test::request(d.port(), "POST", "/mcp", hijack, R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
    EXPECT_EQ(stolen.status, 404);
}

TEST(McpHttp, ForeignHostOrOriginIsRefused) {
    McpDaemon d;
    ASSERT_TRUE(d.ok());
    McpClient c(d.port(), McpDaemon::kOperatorToken);
    const Json init{{"jsonrpc", "2.0"}, {"id", 0}, {"method", "initialize"},
                    {"params", {{"protocolVersion", "2025-06-18"}, {"capabilities", Json::object()}, {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}};
    EXPECT_EQ(c.post(init, {{"Host", "evil.example"}}).status, 403);
    EXPECT_EQ(c.post(init, {{"Host", "evil.example:" + std::to_string(d.port())}}).status, 403);
    EXPECT_EQ(c.post(init, {{"Origin", "http://evil.example"}}).status, 403);
    EXPECT_EQ(c.post(init, {{"Origin", "http://localhost:3000"}}).status, 200);
    EXPECT_EQ(c.post(init, {{"Host", "localhost:" + std::to_string(d.port())}}).status, 200);
}

TEST(McpHttp, MalformedJsonRpcAndSessionErrors) {
    McpDaemon d;
    ASSERT_TRUE(d.ok());
    McpClient c(d.port(), McpDaemon::kOperatorToken);
    ASSERT_EQ(c.initialize().status, 200);
    auto h = c.headers();
    const auto parse = mcp_test::request(d.port(), "POST", "/mcp", h, "{\"jsonrpc\":");
    EXPECT_EQ(parse.status, 400);
    EXPECT_EQ(parse.json()["error"]["code"], -32700);
    const auto invalid = mcp_test::request(d.port(), "POST", "/mcp", h, R"({"jsonrpc":"2.0","id":5})");
    EXPECT_EQ(invalid.json()["error"]["code"], -32600);
    EXPECT_EQ(invalid.json()["id"], 5);
    const auto batch = mcp_test::request(d.port(), "POST", "/mcp", h, R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
    EXPECT_EQ(batch.json()["error"]["code"], -32600);
    EXPECT_EQ(c.call("no/such/method")["error"]["code"], -32601);
    EXPECT_EQ(c.post({{"jsonrpc", "2.0"}, {"id", 9}, {"method", "ping"}}, {{"MCP-Protocol-Version", "1999-01-01"}}).status, 400);
    EXPECT_EQ(c.post({{"jsonrpc", "2.0"}, {"id", 9}, {"method", "ping"}}, {{"MCP-Protocol-Version", "2025-03-26"}}).status, 200);

    auto no_session = h;
    no_session.erase("Mcp-Session-Id");
    EXPECT_EQ(mcp_test::request(d.port(), "POST", "/mcp", no_session, R"({"jsonrpc":"2.0","id":1,"method":"ping"})").status, 400);
    auto bad_session = h;
    bad_session["Mcp-Session-Id"] = std::string(64, 'a');
    EXPECT_EQ(mcp_test::request(d.port(), "POST", "/mcp", bad_session, R"({"jsonrpc":"2.0","id":1,"method":"ping"})").status, 404);
    EXPECT_EQ(mcp_test::request(d.port(), "PUT", "/mcp", h).status, 405);
    EXPECT_EQ(mcp_test::request(d.port(), "POST", "/other", h, "{}").status, 404);

    EXPECT_EQ(mcp_test::request(d.port(), "DELETE", "/mcp", h).status, 200);
    EXPECT_EQ(c.post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}}).status, 404) << "ended sessions are gone";
}

TEST(McpHttp, SlowClientIsDisconnected) {
    McpDaemon d(Json{{"read_timeout_ms", 200}});
    ASSERT_TRUE(d.ok());
    // Half a request head, then silence: the host cuts the connection instead of waiting forever.
    EXPECT_TRUE(mcp_test::server_closes(d.port(), "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"));
    McpClient c(d.port(), McpDaemon::kOperatorToken);
    EXPECT_EQ(c.initialize().status, 200);
}

TEST(McpHttp, OversizeBodyIsRefusedAndTheServerStaysUp) {
    McpDaemon d(Json{{"max_body", 4096}});
    ASSERT_TRUE(d.ok());
    McpClient c(d.port(), McpDaemon::kOperatorToken);
    ASSERT_EQ(c.initialize().status, 200);
    const Json big{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}, {"params", {{"pad", std::string(5000, 'x')}}}};
    EXPECT_EQ(c.post(big).status, 413);
    EXPECT_EQ(c.call("ping")["result"], Json::object());
}

TEST(McpHttp, SseRepliesCarryProgressAndLogsBeforeTheResult) {
    McpDaemon d;
    ASSERT_TRUE(d.ok());
    McpClient c(d.port(), McpDaemon::kOperatorToken, /*sse=*/true);
    ASSERT_EQ(c.initialize().status, 200);
    const auto r = c.post({{"jsonrpc", "2.0"}, {"id", 42}, {"method", "tools/call"},
                           {"params", {{"name", "test_tool_with_progress"}, {"arguments", Json::object()},
                                       {"_meta", {{"progressToken", "p1"}}}}}});
    ASSERT_TRUE(r.is_sse()) << r.body;
    const auto msgs = r.messages();
    ASSERT_EQ(msgs.size(), 4u) << r.body;
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(msgs[i]["method"], "notifications/progress");
        EXPECT_EQ(msgs[i]["params"]["progressToken"], "p1");
        EXPECT_EQ(msgs[i]["params"]["progress"], i * 50);
    }
    EXPECT_EQ(msgs[3]["id"], 42);
    EXPECT_FALSE(msgs[3]["result"]["isError"].get<bool>());

    c.call("logging/setLevel", {{"level", "warning"}});
    const auto quiet = c.post({{"jsonrpc", "2.0"}, {"id", 43}, {"method", "tools/call"},
                               {"params", {{"name", "test_tool_with_logging"}, {"arguments", Json::object()}}}});
    EXPECT_EQ(quiet.messages().size(), 1u) << "info logs are below the session's level";
    c.call("logging/setLevel", {{"level", "info"}});
    const auto loud = c.post({{"jsonrpc", "2.0"}, {"id", 44}, {"method", "tools/call"},
                              {"params", {{"name", "test_tool_with_logging"}, {"arguments", Json::object()}}}});
    ASSERT_EQ(loud.messages().size(), 4u) << loud.body;
    EXPECT_EQ(loud.messages()[0]["params"]["data"], "Tool execution started");
}

TEST(McpHttp, ClientThatHangsUpMidCallDoesNotHurtTheServer) {
    McpDaemon d;
    ASSERT_TRUE(d.ok());
    McpClient c(d.port(), McpDaemon::kOperatorToken, /*sse=*/true);
    ASSERT_EQ(c.initialize().status, 200);
    const std::string body = Json{{"jsonrpc", "2.0"}, {"id", 7}, {"method", "tools/call"},
                                  {"params", {{"name", "slow_echo"}, {"arguments", {{"ms", 300}, {"text", "late"}}}}}}.dump();
    std::string raw = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Accept: application/json, text/event-stream\r\nAuthorization: Bearer " +
                      std::string(McpDaemon::kOperatorToken) + "\r\nMcp-Session-Id: " + c.session() +
                      "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    for (int i = 0; i < 5; ++i) mcp_test::send_and_hang_up(d.port(), raw);
    // The calls finish in the kernel with nobody to tell; the host keeps serving.
    const Json echo = c.call("tools/call", {{"name", "slow_echo"}, {"arguments", {{"ms", 10}, {"text", "still here"}}}});
    EXPECT_EQ(first_text(echo["result"]), "still here") << echo.dump();
    EXPECT_EQ(d.daemon().stop(SIGTERM), 0) << "clean shutdown after abandoned calls";
}

TEST(McpHttp, GetStreamOpensAndEndsWithItsSession) {
    McpDaemon d;
    ASSERT_TRUE(d.ok());
    McpClient c(d.port(), McpDaemon::kOperatorToken);
    ASSERT_EQ(c.initialize().status, 200);
    auto h = c.headers();
    h["Accept"] = "application/json";
    EXPECT_EQ(mcp_test::request(d.port(), "GET", "/mcp", h).status, 405) << "GET needs Accept: text/event-stream";
    h["Accept"] = "text/event-stream";
    mcp_test::SseStream stream(d.port(), h);
    EXPECT_EQ(stream.head().status, 200);
    EXPECT_TRUE(stream.head().is_sse());
    EXPECT_EQ(stream.head().header("mcp-session-id"), c.session());
    // The stream is attached once its head is out; ending the session ends it.
    EXPECT_EQ(mcp_test::request(d.port(), "DELETE", "/mcp", c.headers()).status, 200);
    const auto rest = stream.rest();
    EXPECT_TRUE(rest.messages().empty()) << rest.body;
}

TEST(McpHttp, NonLoopbackBindRefusesToStart) {
    McpDaemon d(Json{{"bind", "0.0.0.0"}});
    EXPECT_EQ(d.port(), 0) << "no listener.json";
    EXPECT_NE(d.home().all_text().find("REFUSING TO START"), std::string::npos);
}

TEST(McpStdio, CoworkMcpServeAnswersOnStdoutAndExitsOnEof) {
    e2e::Home home;
    const fs::path ws = home.path() / "ws";
    fs::create_directories(ws);
    std::ofstream(ws / "note.txt") << "stdio works\n";
    fs::create_directories(home.path() / "config");
    std::ofstream(home.path() / "config/cowork.toml") << McpDaemon::toml_section({{"default_workspace", ws.string()}});
    std::string input;
    auto line = [&](const Json& j) { input += j.dump() + "\n"; };
    line({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
          {"params", {{"protocolVersion", "2025-11-25"}, {"capabilities", Json::object()}, {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}});
    line({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
    line({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/call"}, {"params", {{"name", "tool.files.read_file"}, {"arguments", {{"path", "note.txt"}}}}}});
    line({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "resources/read"}, {"params", {{"uri", "cowork://workspaces"}}}});
    input += "this is not json\n";
    line({{"jsonrpc", "2.0"}, {"id", 4}, {"method", "bogus"}});
    const auto r = e2e::run({e2e::bin("cowork").string(), "mcp", "serve", "--verbose"}, home, input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<int, Json> by_id;
    int parse_errors = 0;
    std::istringstream out(r.out);
    std::string l;
    while (std::getline(out, l)) {
        const Json j = Json::parse(l, nullptr, false);
        ASSERT_TRUE(j.is_object() && j.value("jsonrpc", "") == "2.0") << "stdout carries only MCP frames: " << l;
        if (j.contains("id") && j["id"].is_number()) by_id[j["id"].get<int>()] = j;
        else if (j.contains("error") && j["error"]["code"] == -32700) ++parse_errors;
    }
    EXPECT_EQ(by_id[1]["result"]["protocolVersion"], "2025-11-25");
    EXPECT_NE(first_text(by_id[2]["result"]).find("stdio works"), std::string::npos) << by_id[2].dump();
    EXPECT_TRUE(by_id[3].contains("result")) << by_id[3].dump();
    EXPECT_EQ(by_id[4]["error"]["code"], -32601);
    EXPECT_EQ(parse_errors, 1);
    EXPECT_FALSE(r.err.empty()) << "--verbose logs go to stderr";
}

TEST(McpStdio, CancelledRequestGetsNoResponseAndOthersStillDo) {
    e2e::Home home;
    fs::create_directories(home.path() / "config");
    std::ofstream(home.path() / "config/cowork.toml")
        << McpDaemon::toml_section({{"default_workspace", home.path().string()}, {"bare_tool_plugins", {"tool.mcp-conformance"}}});
    std::string input;
    auto line = [&](const Json& j) { input += j.dump() + "\n"; };
    line({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
          {"params", {{"protocolVersion", "2025-06-18"}, {"capabilities", Json::object()}, {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}});
    line({{"jsonrpc", "2.0"}, {"id", 5}, {"method", "tools/call"}, {"params", {{"name", "slow_echo"}, {"arguments", {{"ms", 300}, {"text", "x"}}}}}});
    line({{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"}, {"params", {{"requestId", 5}, {"reason", "user gave up"}}}});
    line({{"jsonrpc", "2.0"}, {"id", 6}, {"method", "tools/call"}, {"params", {{"name", "slow_echo"}, {"arguments", {{"ms", 1}, {"text", "kept"}}}}}});
    const auto r = e2e::run({e2e::bin("cowork").string(), "mcp", "serve", "--plugin-dir", mcp_test::mcp_fixture_plugins().string()},
                            home, input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<int> answered;
    std::istringstream out(r.out);
    std::string l;
    Json kept;
    while (std::getline(out, l)) {
        const Json j = Json::parse(l, nullptr, false);
        if (j.contains("id") && j["id"].is_number()) answered.insert(j["id"].get<int>());
        if (j.value("id", Json()) == 6) kept = j;
    }
    EXPECT_TRUE(answered.count(1));
    EXPECT_FALSE(answered.count(5)) << "a cancelled request is not answered: " << r.out;
    EXPECT_EQ(first_text(kept["result"]), "kept") << r.out;
}
