// Unit tests of the host's pure pieces: framing, guards, tokens, cursors,
// prompt templates, settings. The transports are tested end to end in
// server_e2e_test.cpp against the real coworkd.
#include "dispatcher.hpp"
#include "http_guard.hpp"
#include "jsonrpc.hpp"
#include "pagination.hpp"
#include "prompt_catalog.hpp"
#include "rpc_error.hpp"
#include "settings.hpp"
#include "token_book.hpp"
#include "tool_catalog.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

using namespace cowork::mcp;

TEST(McpJsonRpc, ClassifiesRequestsNotificationsResponsesAndInvalidMessages) {
    EXPECT_EQ(classify(Json::parse(R"({"jsonrpc":"2.0","id":1,"method":"ping"})")).kind, Kind::request);
    EXPECT_EQ(classify(Json::parse(R"({"jsonrpc":"2.0","method":"notifications/initialized"})")).kind, Kind::notification);
    EXPECT_EQ(classify(Json::parse(R"({"jsonrpc":"2.0","id":"a","result":{}})")).kind, Kind::response);
    const Message batch = classify(Json::parse(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])"));
    EXPECT_EQ(batch.kind, Kind::invalid);
    EXPECT_NE(batch.problem.find("batch"), std::string::npos);
    const Message version = classify(Json::parse(R"({"jsonrpc":"1.0","id":7,"method":"ping"})"));
    EXPECT_EQ(version.kind, Kind::invalid);
    EXPECT_EQ(version.id, 7) << "a readable id is echoed in the error";
    EXPECT_EQ(classify(Json::parse(R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})")).kind, Kind::invalid);
    EXPECT_EQ(classify(Json::parse(R"({"jsonrpc":"2.0","id":1,"method":"x","params":[1]})")).kind, Kind::invalid);
    EXPECT_EQ(classify(Json::parse(R"({"jsonrpc":"2.0","id":1})")).kind, Kind::invalid);
}

TEST(McpHttpGuard, HostAllowListStopsDnsRebinding) {
    Settings s;
    EXPECT_TRUE(host_allowed("127.0.0.1:8080", s));
    EXPECT_TRUE(host_allowed("localhost", s));
    EXPECT_TRUE(host_allowed("[::1]:9", s));
    EXPECT_TRUE(host_allowed("LOCALHOST:1", s));
    EXPECT_FALSE(host_allowed("evil.example", s));
    EXPECT_FALSE(host_allowed("evil.example:8080", s));
    EXPECT_FALSE(host_allowed("localhost.evil.example", s));
    EXPECT_FALSE(host_allowed("", s)) << "HTTP/1.0 without Host is refused";
    s.allowed_hosts = {"mybox.lan"};
    EXPECT_TRUE(host_allowed("mybox.lan:18790", s));
}

TEST(McpHttpGuard, OriginAllowListAcceptsLocalPagesAndRefusesOthers) {
    Settings s;
    EXPECT_TRUE(origin_allowed("", s)) << "non-browser clients send no Origin";
    EXPECT_TRUE(origin_allowed("http://localhost:5173", s));
    EXPECT_TRUE(origin_allowed("https://127.0.0.1", s));
    EXPECT_FALSE(origin_allowed("http://evil.example", s));
    EXPECT_FALSE(origin_allowed("http://localhost.evil.example", s));
    EXPECT_FALSE(origin_allowed("null", s));
    EXPECT_FALSE(origin_allowed("file://", s));
    s.allowed_origins = {"https://app.example"};
    EXPECT_TRUE(origin_allowed("https://app.example", s));
}

TEST(McpHttpGuard, BearerTokenAndAcceptParsing) {
    EXPECT_EQ(bearer_token("Bearer abc"), "abc");
    EXPECT_EQ(bearer_token("bearer  abc "), "abc");
    EXPECT_FALSE(bearer_token("Basic abc"));
    EXPECT_FALSE(bearer_token("Bearer "));
    EXPECT_TRUE(accepts("application/json, text/event-stream", "text/event-stream"));
    EXPECT_FALSE(accepts("application/json", "text/event-stream"));
}

TEST(McpTokenBook, FindsTheIdentityOfAnExactTokenOnly) {
    TokenBook book;
    book.add({"claude", "operator"}, "a-very-long-token-for-claude-000");
    book.add({"viewer", "read"}, "a-very-long-token-for-viewer-000");
    ASSERT_TRUE(book.find("a-very-long-token-for-viewer-000"));
    EXPECT_EQ(book.find("a-very-long-token-for-viewer-000")->role, "read");
    EXPECT_EQ(book.find("a-very-long-token-for-claude-000")->name, "claude");
    EXPECT_FALSE(book.find("a-very-long-token-for-claude-00"));
    EXPECT_FALSE(book.find(""));
}

TEST(McpPagination, CursorsWalkTheWholeListAndBadCursorsAreRefused) {
    Json items = Json::array();
    for (int i = 0; i < 5; ++i) items.push_back(i);
    Json page = paginate(items, Json::object(), 2, "tools");
    Json all = page["tools"];
    while (page.contains("nextCursor")) {
        page = paginate(items, {{"cursor", page["nextCursor"]}}, 2, "tools");
        for (const auto& v : page["tools"]) all.push_back(v);
    }
    EXPECT_EQ(all, items);
    EXPECT_THROW(paginate(items, {{"cursor", "garbage"}}, 2, "tools"), RpcError);
    EXPECT_THROW(paginate(items, {{"cursor", 3}}, 2, "tools"), RpcError);
}

TEST(McpSettings, NonLoopbackBindIsRefusedAndIdentitiesAreChecked) {
    try {
        (void)parse_settings({{"http", true}, {"bind", "0.0.0.0"}});
        FAIL() << "a non-loopback bind must be refused";
    } catch (const cowork::sdk::Error& e) {
        EXPECT_NE(std::string(e.what()).find("REFUSING TO START"), std::string::npos);
    }
    EXPECT_NO_THROW(parse_settings({{"http", true}, {"bind", "::1"}}));
    EXPECT_THROW(parse_settings({{"identities", {{{"name", "x"}, {"role", "admin"}}}}}), cowork::sdk::Error);
    EXPECT_THROW(parse_settings({{"identities", {{{"name", "../x"}}}}}), cowork::sdk::Error);
    EXPECT_EQ(token_secret_key("claude"), "plugin.frontend.mcp-host.tokens.claude");
}

TEST(McpTools, KernelAnnotationsBecomeMcpHints) {
    EXPECT_EQ(mcp_annotations({{"readOnly", true}}), Json({{"readOnlyHint", true}}));
    const Json write = mcp_annotations({{"readOnly", false}, {"approval", "write"}});
    EXPECT_TRUE(write["destructiveHint"].get<bool>());
    EXPECT_FALSE(write["openWorldHint"].get<bool>());
    EXPECT_TRUE(mcp_annotations({{"approval", "network"}})["openWorldHint"].get<bool>());
}
