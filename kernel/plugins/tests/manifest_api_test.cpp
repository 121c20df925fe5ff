// Manifest "api": plugin-contributed API methods (cowork.methods/1). One
// defect per case, each error naming the key and saying what to change.
#include "plugins/manifest_reader.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cowork::kernel::plugins {
namespace {

using testing::TempDir;

const JsonSchema& schema() {
    static const JsonSchema s = load_manifest_schema({});
    return s;
}

Json doc_with(const Json& api, bool provides_methods = true) {
    Json d = Json::parse(R"({"id":"tool.mcp","version":"0.1.0","type":"tool","kernel":{"abi":1},
        "runtime":{"library":"tool.mcp.so"},"provides":["cowork.tool-provider/1"]})");
    if (provides_methods) d["provides"].push_back("cowork.methods/1");
    d["api"] = api;
    return d;
}

Result<Manifest> parse(const Json& doc) {
    static TempDir tmp;
    const auto dir = tmp.path() / "tool.mcp";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "tool.mcp.so") << "";
    return parse_manifest(doc, dir, schema());
}

std::string error_of(const Json& doc) {
    auto m = parse(doc);
    return m ? std::string("accepted") : m.error().message;
}

TEST(ManifestApi, MethodsAreRead) {
    auto m = parse(doc_with(Json::parse(R"([{"name":"mcp.list","scope":"read","summary":"servers"},
                                            {"name":"mcp.add","scope":"admin","sideEffect":true}])")));
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(m->api.size(), 2u);
    EXPECT_EQ(m->api[0].name, "mcp.list");
    EXPECT_EQ(m->api[0].scope, "read");
    EXPECT_FALSE(m->api[0].side_effect);
    EXPECT_EQ(m->api[0].summary, "servers");
    EXPECT_TRUE(m->api[1].side_effect);
}

TEST(ManifestApi, NoApiMeansNoMethods) {
    Json d = doc_with(Json::array());
    d.erase("api");
    auto m = parse(d);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_TRUE(m->api.empty());
}

TEST(ManifestApi, BrokenDeclarationsAreRefusedNamingTheKey) {
    EXPECT_EQ(error_of(doc_with(Json::parse(R"([{"name":"mcp.list"}])"))).rfind("/api/0/scope: is required", 0), 0u);
    EXPECT_EQ(error_of(doc_with(Json::parse(R"([{"name":"mcp.list","scope":"root"}])"))).rfind("/api/0/scope: must be one of", 0), 0u);
    EXPECT_EQ(error_of(doc_with(Json::parse(R"([{"name":"List","scope":"read"}])"))).rfind("/api/0/name: ", 0), 0u);
    EXPECT_EQ(error_of(doc_with(Json::parse(R"([{"name":"mcp.list","scope":"read","extra":1}])"))).rfind("/api/0/extra: ", 0), 0u);
    EXPECT_EQ(error_of(doc_with(Json::parse(R"({"name":"mcp.list"})"))).rfind("/api: must be of type array", 0), 0u);
}

TEST(ManifestApi, NamesMustStayInThePluginsNamespace) {
    const std::string e = error_of(doc_with(Json::parse(R"([{"name":"task.create","scope":"write"}])")));
    EXPECT_EQ(e.rfind("/api/0/name: \"task.create\" must start with \"mcp.\"", 0), 0u) << e;
}

TEST(ManifestApi, DuplicatesAndAMissingInterfaceAreRefused) {
    EXPECT_NE(error_of(doc_with(Json::parse(R"([{"name":"mcp.a","scope":"read"},{"name":"mcp.a","scope":"read"}])")))
                  .find("/api/1/name: \"mcp.a\" is declared twice"),
              std::string::npos);
    const std::string e = error_of(doc_with(Json::parse(R"([{"name":"mcp.a","scope":"read"}])"), false));
    EXPECT_EQ(e.rfind("/api: declaring API methods needs \"cowork.methods/1\" in provides", 0), 0u) << e;
}

}  // namespace
}  // namespace cowork::kernel::plugins
