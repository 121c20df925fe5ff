// Pure pieces of tool.mcp: JSON-RPC classification, config validation,
// tool naming, result conversion and caps, endpoint resolution, registry.
#include "http_transport.hpp"
#include "json_rpc.hpp"
#include "registry.hpp"
#include "result_content.hpp"
#include "server_config.hpp"
#include "tool_names.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

namespace cowork::mcp {
namespace {

TEST(JsonRpc, ClassifiesMessages) {
    EXPECT_EQ(rpc::classify(rpc::request(1, "ping", nullptr)).kind, rpc::Kind::request);
    EXPECT_EQ(rpc::classify(rpc::notification("notifications/initialized")).kind, rpc::Kind::notification);
    EXPECT_EQ(rpc::classify(rpc::result(1, Json::object())).kind, rpc::Kind::response);
    EXPECT_EQ(rpc::classify(rpc::error(1, kMethodNotFound, "x")).kind, rpc::Kind::response);
    EXPECT_EQ(rpc::classify(Json{{"jsonrpc", "1.0"}, {"id", 1}, {"method", "x"}}).kind, rpc::Kind::invalid);
    EXPECT_EQ(rpc::classify(Json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", 5}}).kind, rpc::Kind::invalid);
    EXPECT_EQ(rpc::classify(Json{{"jsonrpc", "2.0"}, {"id", 1}}).kind, rpc::Kind::invalid);
    EXPECT_EQ(rpc::classify(Json::array()).kind, rpc::Kind::invalid);
}

std::string config_error(const std::string& name, const Json& table) {
    try {
        parse_server_config(name, table);
    } catch (const sdk::Error& e) {
        return e.what();
    }
    return "";
}

TEST(ServerConfig, ValidatesWithErrorsNamingTheKey) {
    EXPECT_NE(config_error("Bad.Name", {{"command", "x"}}).find("not valid"), std::string::npos);
    EXPECT_NE(config_error("a", Json::object()).find("servers.a.command"), std::string::npos);
    EXPECT_NE(config_error("a", {{"command", "x"}, {"url", "http://h"}}).find("not both"), std::string::npos);
    EXPECT_NE(config_error("a", {{"url", "ftp://h"}}).find("servers.a.url"), std::string::npos);
    EXPECT_NE(config_error("a", {{"url", "http://h"}, {"transport", "ws"}}).find("servers.a.transport"), std::string::npos);
    EXPECT_NE(config_error("a", {{"command", "x"}, {"args", "notalist"}}).find("servers.a.args"), std::string::npos);
    EXPECT_NE(config_error("a", {{"url", "http://h"}, {"auth", {{"secret", "k"}, {"scheme", "basic"}}}}).find("auth.scheme"),
              std::string::npos);
    EXPECT_NE(config_error("a", {{"command", "x"}, {"request_timeout_ms", 5}}).find("request_timeout_ms"), std::string::npos);
}

TEST(ServerConfig, ParsesBothTransportsAndRoundTrips) {
    auto s = parse_server_config("fs", {{"command", "npx"}, {"args", {"-y", "pkg"}}, {"env", {{"K", "v"}}}, {"cwd", "/tmp"}});
    EXPECT_EQ(s.transport, TransportKind::stdio);
    EXPECT_EQ(s.args.size(), 2u);
    EXPECT_EQ(s.request_timeout.count(), 60000);
    EXPECT_EQ(s.connect_timeout.count(), 30000);
    EXPECT_EQ(s.max_result_bytes, 1024u * 1024u);
    auto h = parse_server_config("remote", {{"url", "https://h/mcp"}, {"auth", {{"secret", "mcp.remote"}, {"scheme", "header:X-Key"}}}});
    EXPECT_EQ(h.transport, TransportKind::http);
    EXPECT_FALSE(h.auth.bearer);
    EXPECT_EQ(h.auth.header, "X-Key");
    auto again = parse_server_config("remote", h.to_json());
    EXPECT_EQ(again.auth.header, "X-Key");
    EXPECT_EQ(parse_server_config("old", {{"url", "http://h/sse"}, {"transport", "sse"}}).transport, TransportKind::sse);
    std::vector<std::string> problems;
    auto all = parse_servers({{"ok", {{"command", "x"}}}, {"bad", Json::object()}}, problems);
    EXPECT_EQ(all.size(), 1u);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("servers.bad"), std::string::npos);
}

TEST(ToolNames, SanitizesAndNeverCollides) {
    ToolNames n;
    EXPECT_EQ(n.add("read_file"), "read_file");
    const std::string odd = n.add("bad name/with.dots");
    EXPECT_EQ(odd, "bad_name_with_dots");
    const std::string twin = n.add("bad_name_with_dots");  // sanitizes to the same text
    EXPECT_NE(twin, odd);
    EXPECT_EQ(n.mcp_name(odd), "bad name/with.dots");
    EXPECT_EQ(n.mcp_name(twin), "bad_name_with_dots");
    const std::string long_name(200, 'a');
    EXPECT_LE(n.add(long_name).size(), 48u);
    EXPECT_EQ(n.mcp_name(n.add(long_name)), long_name);
    for (char c : n.add("wéird:name"))
        EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
}

TEST(ResultContent, EveryContentTypeBecomesReadable) {
    const Json r{{"content",
                  {{{"type", "text"}, {"text", "hello"}},
                   {{"type", "image"}, {"mimeType", "image/png"}, {"data", "AAAA"}},
                   {{"type", "audio"}, {"mimeType", "audio/wav"}, {"data", "AAAA"}},
                   {{"type", "resource_link"}, {"uri", "file:///x"}, {"name", "x"}, {"mimeType", "text/plain"}},
                   {{"type", "resource"}, {"resource", {{"uri", "test://t"}, {"text", "inner"}}}},
                   {{"type", "resource"}, {"resource", {{"uri", "test://b"}, {"blob", "AAAA"}, {"mimeType", "application/octet-stream"}}}}}},
                 {"structuredContent", {{"n", 1}}},
                 {"isError", true}};
    const Json out = tool_result_from_mcp(r, 1 << 20);
    EXPECT_TRUE(out["isError"]);
    const std::string all = out["content"].dump();
    for (const char* want : {"hello", "[image: image/png", "[audio: audio/wav", "[resource link: x <file:///x>", "inner",
                             "[binary resource test://b"})
        EXPECT_NE(all.find(want), std::string::npos) << want;
    EXPECT_EQ(out["data"]["n"], 1);
}

TEST(ResultContent, StructuredOnlyResultIsShownAsText) {
    const Json out = tool_result_from_mcp({{"content", Json::array()}, {"structuredContent", {{"temp", 21}}}}, 1 << 20);
    EXPECT_EQ(out["content"][0]["text"], R"({"temp":21})");
}

TEST(ResultContent, CapsHugeResultsAndSaysHowToRaiseTheLimit) {
    const Json out = tool_result_from_mcp({{"content", {{{"type", "text"}, {"text", std::string(5000, 'x')}},
                                                        {{"type", "image"}, {"mimeType", "image/png"}, {"data", std::string(5000, 'A')}}}}},
                                          2048);
    EXPECT_EQ(out["content"][0]["text"].get<std::string>().size(), 2048u);
    const std::string note = out["content"].back()["text"];
    EXPECT_NE(note.find("truncated"), std::string::npos);
    EXPECT_NE(note.find("max_result_bytes"), std::string::npos);
    for (const auto& part : out["content"]) EXPECT_NE(part["type"], "image");  // the image did not fit
}

TEST(HttpTransport, ResolvesTheLegacyEndpoint) {
    EXPECT_EQ(resolve_endpoint("http://127.0.0.1:5/sse", "/message?sessionId=1"), "http://127.0.0.1:5/message?sessionId=1");
    EXPECT_EQ(resolve_endpoint("http://h:5/a/sse", "msg?s=1"), "http://h:5/a/msg?s=1");
    EXPECT_EQ(resolve_endpoint("http://h:5/sse", "https://other/x"), "https://other/x");
}

TEST(Registry, InstantiatesTemplates) {
    const Registry r(Json::parse(R"({"servers": {
        "filesystem": {"command": "npx", "args": ["-y", "pkg", "{...paths}"]},
        "git": {"command": "uvx", "args": ["mcp-server-git", "--repository", "{repository}"]}}})"));
    EXPECT_EQ(r.instantiate("filesystem", {{"paths", {"/a", "/b"}}})["args"], Json({"-y", "pkg", "/a", "/b"}));
    EXPECT_EQ(r.instantiate("git", {{"repository", "/r"}})["args"], Json({"mcp-server-git", "--repository", "/r"}));
    EXPECT_THROW(r.instantiate("filesystem", Json::object()), sdk::Error);
    EXPECT_THROW(r.instantiate("nope", Json::object()), sdk::Error);
}

TEST(Registry, ShippedFileListsTheReferenceServers) {
    const Registry r = Registry::load(std::string(MCP_FIXTURES_DIR) + "/../../registry.json");
    std::vector<std::string> ids;
    for (const auto& e : r.list()) ids.push_back(e["id"]);
    for (const char* want : {"everything", "filesystem", "memory", "fetch"})
        EXPECT_NE(std::find(ids.begin(), ids.end(), want), ids.end()) << want;
}

}  // namespace
}  // namespace cowork::mcp
