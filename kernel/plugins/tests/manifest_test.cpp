#include "plugins/manifest_reader.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace cowork::kernel::plugins {
namespace {

using testing::TempDir;

const JsonSchema& schema() {
    static const JsonSchema s = load_manifest_schema({});
    return s;
}

Json valid_doc() {
    return Json::parse(R"({"id":"tool.sample","name":"sample","version":"1.2.0","type":"tool",
        "kernel":{"abi":1,"minVersion":"0.1.0"},
        "runtime":{"kind":"process","library":"tool.sample.so","threading":"main"},
        "dependencies":[{"id":"tool.base","version":"^1.0","optional":true}],
        "provides":["cowork.tool-provider/1"],"requires":["cowork.llm/1"],
        "permissions":{"net:connect":["api.example.com:443"],"fs:read":["~/docs"],"fs:write":[],
                       "process:exec":true,"secret:read":["token"],
                       "secret:write":["sample.*.grant"]},
        "configSchema":{"type":"object"},"status":"beta","enabledByDefault":false})");
}

// A plugin directory named after the id, with an (empty) library present.
std::filesystem::path plugin_dir(const TempDir& tmp, const Json& doc) {
    std::string id = "tool.sample";
    if (doc.is_object() && doc.contains("id") && doc["id"].is_string()) id = doc["id"].get<std::string>();
    const auto dir = tmp.path() / id;
    std::filesystem::create_directories(dir);
    std::string lib = "tool.sample.so";
    if (doc.is_object() && doc.contains("runtime") && doc["runtime"].contains("library") &&
        doc["runtime"]["library"].is_string() &&
        doc["runtime"]["library"].get<std::string>().find('/') == std::string::npos)
        lib = doc["runtime"]["library"].get<std::string>();
    std::ofstream(dir / lib) << "";
    return dir;
}

TEST(Manifest, ValidDocumentMapsEveryField) {
    TempDir tmp;
    const Json doc = valid_doc();
    auto m = parse_manifest(doc, plugin_dir(tmp, doc), schema());
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->id, "tool.sample");
    EXPECT_EQ(m->version, "1.2.0");
    EXPECT_EQ(m->compat_version, "1.2.0");
    EXPECT_EQ(m->kernel_min_version, "0.1.0");
    EXPECT_EQ(m->runtime.kind, "process");
    EXPECT_EQ(m->runtime.threading, "main");
    ASSERT_EQ(m->dependencies.size(), 1u);
    EXPECT_EQ(m->dependencies[0].version_range, "^1.0");
    EXPECT_TRUE(m->dependencies[0].optional);
    EXPECT_EQ(m->provides, std::vector<std::string>{"cowork.tool-provider/1"});
    EXPECT_EQ(m->requires_, std::vector<std::string>{"cowork.llm/1"});
    EXPECT_EQ(m->permissions.net_connect, std::vector<std::string>{"api.example.com:443"});
    EXPECT_TRUE(m->permissions.process_exec);
    EXPECT_EQ(m->permissions.secret_read, std::vector<std::string>{"token"});
    EXPECT_EQ(m->permissions.secret_write, std::vector<std::string>{"sample.*.grant"});
    EXPECT_EQ(m->status, "beta");
    EXPECT_FALSE(m->enabled_by_default);
    EXPECT_EQ(m->library_path().filename(), "tool.sample.so");
}

TEST(Manifest, DefaultsForOptionalFields) {
    TempDir tmp;
    const Json doc = Json::parse(R"({"id":"llm.tiny","version":"0.1.0","type":"llm","kernel":{"abi":1},
                                      "runtime":{"library":"llm.tiny.so"}})");
    auto m = parse_manifest(doc, plugin_dir(tmp, doc), schema());
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->name, "tiny");
    EXPECT_EQ(m->runtime.kind, "inprocess");
    EXPECT_EQ(m->runtime.threading, "any");
    EXPECT_TRUE(m->enabled_by_default);
}

// Each corpus file has exactly one defect; the error must name its key.
const std::map<std::string, std::string>& expected_pointers() {
    static const std::map<std::string, std::string> table{
        {"missing-id.json", "/id: is required"},
        {"bad-id-pattern.json", "/id: "},
        {"id-type-mismatch.json", "/type: "},
        {"bad-semver.json", "/version: "},
        {"unknown-top-level-key.json", "/colour: is not an allowed key"},
        {"runtime-kind-bad.json", "/runtime/kind: must be one of inprocess, process"},
        {"library-with-slash.json", "/runtime/library: "},
        {"dependency-without-id.json", "/dependencies/0/id: is required"},
        {"bad-range.json", "/dependencies/0/version: "},
        {"permissions-wrong-type.json", "/permissions/net:connect: must be of type array"},
        {"provides-bad-interface.json", "/provides/0: "},
        {"abi-not-integer.json", "/kernel/abi: must be of type integer"},
        {"missing-runtime.json", "/runtime: is required"},
        {"bad-type.json", "/type: must be one of"},
        {"threading-bad.json", "/runtime/threading: must be one of any, main"},
        {"compat-newer-than-version.json", "/compatVersion: "},
        {"enabled-by-default-string.json", "/enabledByDefault: must be of type boolean"},
        {"duplicate-provides.json", "/provides/1: duplicates item 0"},
        {"config-schema-array.json", "/configSchema: must be of type object"},
        {"process-exec-string.json", "/permissions/process:exec: must be of type boolean"},
        {"unknown-permission.json", "/permissions/net:listen: is not an allowed key"},
        {"self-dependency.json", "/dependencies/0/id: a plugin cannot depend on itself"},
        {"kernel-abi-2.json", "/kernel/abi: plugin targets ABI 2"},
        {"bad-status.json", "/status: must be one of"},
        {"dependency-optional-string.json", "/dependencies/0/optional: must be of type boolean"},
        {"not-an-object.json", "/: must be of type object"},
        {"bad-min-version.json", "/kernel/minVersion: "},
        {"secret-read-empty-key.json", "/permissions/secret:read/0: must be at least 1"},
        {"secret-write-not-a-list.json", "/permissions/secret:write: must be of type array"},
    };
    return table;
}

TEST(Manifest, EveryCorpusFileIsRejectedNamingItsKey) {
    size_t seen = 0;
    for (const auto& entry : std::filesystem::directory_iterator(testing::corpus_dir())) {
        const auto name = entry.path().filename().string();
        SCOPED_TRACE(name);
        auto expected = expected_pointers().find(name);
        ASSERT_NE(expected, expected_pointers().end()) << "corpus file without an expectation";
        TempDir tmp;
        const Json doc = read_manifest_json(entry.path()).value();
        auto m = parse_manifest(doc, plugin_dir(tmp, doc), schema());
        ASSERT_FALSE(m) << "accepted a broken manifest";
        EXPECT_EQ(m.error().code, "manifest.invalid");
        EXPECT_EQ(m.error().message.rfind(expected->second, 0), 0u) << m.error().message;
        ++seen;
    }
    EXPECT_EQ(seen, expected_pointers().size());
}

TEST(Manifest, LibraryMustExistNextToTheManifest) {
    TempDir tmp;
    Json doc = valid_doc();
    const auto dir = plugin_dir(tmp, doc);
    std::filesystem::remove(dir / "tool.sample.so");
    auto m = parse_manifest(doc, dir, schema());
    ASSERT_FALSE(m);
    EXPECT_NE(m.error().message.find("/runtime/library: \"tool.sample.so\" not found"), std::string::npos);
}

TEST(Manifest, IdMustMatchItsDirectory) {
    TempDir tmp;
    Json doc = valid_doc();
    const auto dir = tmp.path() / "tool.other";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "tool.sample.so") << "";
    auto m = parse_manifest(doc, dir, schema());
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message.rfind("/id: ", 0), 0u);
}

TEST(Manifest, MalformedJsonReportsLineAndColumn) {
    TempDir tmp;
    const auto file = tmp.path() / "cowork.plugin.json";
    std::ofstream(file) << "{\n  \"id\": \"tool.x\",\n  \"version\" \"1.0.0\"\n}\n";
    auto doc = read_manifest_json(file);
    ASSERT_FALSE(doc);
    EXPECT_NE(doc.error().message.find("line 3, column"), std::string::npos) << doc.error().message;
}

TEST(Manifest, SchemaFileIsUsedWhenPresentAndEmbeddedCopyOtherwise) {
    std::string source;
    (void)load_manifest_schema(testing::schema_file(), &source);
    EXPECT_EQ(source, "file");
    (void)load_manifest_schema("/nonexistent/cowork.plugin.schema.json", &source);
    EXPECT_EQ(source, "embedded");
    TempDir tmp;
    std::ofstream(tmp.path() / "broken.json") << "{ not json";
    auto fallback = load_manifest_schema(tmp.path() / "broken.json", &source);
    EXPECT_EQ(source, "embedded");
    EXPECT_FALSE(fallback.validate(Json::object()).empty()) << "the fallback still validates";
}

TEST(Manifest, EmbeddedSchemaEqualsTheFile) {
    auto file = read_manifest_json(testing::schema_file());
    ASSERT_TRUE(file);
    EXPECT_EQ(Json::parse(embedded_manifest_schema()), *file);
}

}  // namespace
}  // namespace cowork::kernel::plugins
