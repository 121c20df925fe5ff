// The channel.* API through a real in-process kernel (COWORK_HOME in a
// scratch directory, the channel.loopback fixture as its only plugin root
// besides tool.fx-a): every method, scopes, errors naming the field, and a
// canary secret that must never leave the secrets service.
#include "app/kernel.hpp"
#include "core/paths.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace cowork::kernel::channels {
namespace {

namespace fs = std::filesystem;
using api::Caller;

const std::string kCanary = "tok-CANARY-5e7d21aa9f";

fs::path fixture_root() { return (executable_dir() / ".." / "fixtures" / "plugins").lexically_normal(); }

Caller caller(const std::string& role) { return {"test:" + role, role, api::scopes_for_role(role), "inproc"}; }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class ChannelApi : public ::testing::Test {
protected:
    cowork::testing::TempDir tmp;
    std::unique_ptr<app::Kernel> kernel;
    Caller op = caller("operator");
    Caller reader = caller("read");

    void SetUp() override {
        const fs::path root = tmp.path() / "plugins";
        fs::create_directories(root);
        for (const char* id : {"channel.loopback", "tool.fx-a"})
            fs::copy(fixture_root() / id, root / id, fs::copy_options::recursive);
        ::setenv("COWORK_HOME", (tmp.path() / "home").c_str(), 1);
        app::KernelOptions o;
        o.plugin_dirs = {root};
        o.console_log = false;
        o.log_level = "trace";  // the most a log could ever say
        kernel = std::make_unique<app::Kernel>(o);
        ASSERT_TRUE(kernel->boot().ok());
    }
    void TearDown() override {
        kernel.reset();
        ::unsetenv("COWORK_HOME");
    }

    Result<Json> call(const Caller& who, const std::string& method, const Json& params) {
        return kernel->api().call(who, method, params);
    }
    std::string file(const std::string& name) const { return (tmp.path() / name).string(); }
    Json create(const std::string& name, const Json& extra = Json::object()) {
        Json p{{"plugin", "channel.loopback"}, {"name", name}, {"config", {{"file", file(name + ".jsonl")}}}};
        p.update(extra);
        auto r = call(op, "channel.create", p);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        return r.ok() ? *r : Json();
    }
    static std::vector<Json> lines(const std::string& path) {
        std::vector<Json> out;
        std::ifstream in(path);
        for (std::string line; std::getline(in, line);) out.push_back(Json::parse(line));
        return out;
    }
};

TEST_F(ChannelApi, EveryMethodWorksForAnOperator) {
    const Json c = create("work", {{"secrets", {{"token", kCanary}}}});
    const std::string id = c["id"];
    EXPECT_EQ(c["plugin"], "channel.loopback");
    EXPECT_EQ(c["secretRefs"], Json::array({"token"}));
    EXPECT_EQ(c["status"]["state"], "connected");

    auto got = call(op, "channel.get", {{"id", id}});
    ASSERT_TRUE(got.ok());
    EXPECT_EQ((*got)["name"], "work");
    EXPECT_EQ((*got)["config"]["file"], file("work.jsonl"));
    auto list = call(op, "channel.list", Json::object());
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 1u);

    auto test = call(op, "channel.test", {{"id", id}});
    ASSERT_TRUE(test.ok()) << test.error().message;
    EXPECT_EQ((*test)["ok"], true);

    auto sent = call(op, "channel.send", {{"id", id}, {"to", "alice"}, {"text", "hello"}});
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    EXPECT_TRUE((*sent)["messageId"].is_string());
    ASSERT_EQ(lines(file("work.jsonl")).size(), 1u);
    EXPECT_EQ(lines(file("work.jsonl"))[0]["chatId"], "alice");

    auto updated = call(op, "channel.update", {{"id", id}, {"name", "work2"}, {"config", {{"file", file("other.jsonl")}}}});
    ASSERT_TRUE(updated.ok()) << updated.error().message;
    EXPECT_EQ((*updated)["name"], "work2");
    ASSERT_TRUE(call(op, "channel.send", {{"id", id}, {"to", "bob"}, {"text", "again"}}).ok());
    EXPECT_EQ(lines(file("other.jsonl")).size(), 1u);

    auto off = call(op, "channel.disable", {{"id", id}});
    ASSERT_TRUE(off.ok());
    EXPECT_EQ((*off)["enabled"], false);
    EXPECT_EQ((*off)["status"]["state"], "disabled");
    auto refused = call(op, "channel.send", {{"id", id}, {"to", "bob"}, {"text", "no"}});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, api::kMethodFailed);
    EXPECT_EQ(refused.error().details["permanent"], true);
    auto on = call(op, "channel.enable", {{"id", id}});
    ASSERT_TRUE(on.ok());
    EXPECT_EQ((*on)["status"]["state"], "connected");

    auto removed = call(op, "channel.remove", {{"id", id}});
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ((*removed)["removed"], true);
    auto secrets = call(caller("admin"), "secret.list", Json::object());
    ASSERT_TRUE(secrets.ok());
    EXPECT_FALSE(has(secrets->dump(), id)) << "the channel's secrets went with it: " << secrets->dump();
    auto gone = call(op, "channel.get", {{"id", id}});
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, api::kInvalidParams);
}

TEST_F(ChannelApi, ReadersMayOnlyLookAndSeeNoPaths) {
    const Json c = create("work");
    const std::string id = c["id"];
    auto got = call(reader, "channel.get", {{"id", id}});
    ASSERT_TRUE(got.ok());
    EXPECT_EQ((*got)["config"]["file"], "[redacted]");
    auto list = call(reader, "channel.list", Json::object());
    ASSERT_TRUE(list.ok());
    EXPECT_FALSE(has(list->dump(), tmp.path().string()));
    const Json params{{"id", id}, {"to", "x"}, {"text", "y"}, {"plugin", "channel.loopback"}, {"name", "n"}};
    for (const char* m : {"channel.create", "channel.update", "channel.enable", "channel.disable", "channel.remove",
                          "channel.test", "channel.send"}) {
        auto r = call(reader, m, params);
        ASSERT_FALSE(r.ok()) << m;
        EXPECT_EQ(r.error().code, api::kUnauthorized) << m;
        EXPECT_EQ(r.error().details["missingScope"], "write") << m;
    }
    EXPECT_TRUE(call(op, "channel.get", {{"id", id}}).ok());  // nothing above changed it
}

TEST_F(ChannelApi, DescribeListsTheMethodsWithScopesAndSideEffects) {
    auto described = call(op, "api.describe", Json::object());
    ASSERT_TRUE(described.ok());
    std::map<std::string, Json> by_name;
    for (const auto& m : *described) by_name[m["name"]] = m;
    EXPECT_EQ(by_name["channel.list"]["scope"], "read");
    EXPECT_EQ(by_name["channel.get"]["scope"], "read");
    for (const char* m : {"channel.create", "channel.update", "channel.enable", "channel.disable", "channel.remove",
                          "channel.send"}) {
        EXPECT_EQ(by_name[m]["scope"], "write") << m;
        EXPECT_EQ(by_name[m]["sideEffect"], true) << m;
    }
    EXPECT_EQ(by_name["channel.test"]["scope"], "write");
    EXPECT_EQ(by_name["channel.test"]["sideEffect"], false);
}

TEST_F(ChannelApi, BadParamsAreInvalidParamsNamingTheField) {
    create("taken");
    struct Case {
        std::string method;
        Json params;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"channel.create", {{"plugin", "channel.nope"}, {"name", "a"}}, "unknown plugin 'channel.nope'"},
        {"channel.create", {{"plugin", "tool.fx-a"}, {"name", "a"}}, "not a channel"},
        {"channel.create", {{"plugin", "channel.loopback"}, {"name", "a"}, {"config", {{"file", 7}}}}, "params.config/file"},
        {"channel.create", {{"plugin", "channel.loopback"}, {"name", "a"}, {"config", {{"file", "x"}, {"token", "t0k3n"}}}},
         "params.secrets.token"},
        {"channel.create", {{"plugin", "channel.loopback"}, {"name", "taken"}, {"config", {{"file", "x"}}}}, "already exists"},
        {"channel.create", {{"plugin", "channel.loopback"}, {"config", {{"file", "x"}}}}, "params.name"},
        {"channel.create", {{"plugin", "channel.loopback"}, {"name", "a"}, {"config", "x"}}, "params.config"},
        {"channel.create", {{"plugin", "channel.loopback"}, {"name", "a"}, {"config", {{"file", "x"}}}, {"secrets", {{"t", 1}}}},
         "params.secrets.t"},
        {"channel.get", Json::object(), "params.id"},
        {"channel.get", {{"id", "ch_nope"}}, "no channel ch_nope"},
        {"channel.update", {{"id", "ch_nope"}, {"name", "b"}}, "no channel ch_nope"},
        {"channel.send", {{"id", "ch_nope"}, {"to", "a"}, {"text", "b"}}, "no channel ch_nope"},
        {"channel.send", {{"id", "ch_nope"}, {"text", "b"}}, "params.to"},
    };
    for (const auto& c : cases) {
        auto r = call(op, c.method, c.params);
        ASSERT_FALSE(r.ok()) << c.method << " " << c.params.dump();
        EXPECT_EQ(r.error().code, api::kInvalidParams) << c.method << " " << c.params.dump() << ": " << r.error().message;
        EXPECT_TRUE(has(r.error().message, c.says)) << c.method << ": " << r.error().message;
    }
    auto list = call(op, "channel.list", Json::object());
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(list->size(), 1u) << "failed creates left nothing behind";
}

TEST_F(ChannelApi, TheSecretNeverLeavesTheSecretsService) {
    const Json c = create("secretive", {{"secrets", {{"token", kCanary}}}, {"config", {{"file", file("s.jsonl")}, {"requireToken", true}}}});
    const std::string id = c["id"];
    EXPECT_EQ(c["status"]["state"], "connected") << c.dump();  // the plugin did get it
    std::string seen = c.dump();
    for (const auto& [m, p] : std::vector<std::pair<std::string, Json>>{
             {"channel.get", {{"id", id}}},
             {"channel.list", Json::object()},
             {"channel.test", {{"id", id}}},
             {"channel.send", {{"id", id}, {"to", "a"}, {"text", "b"}}},
             {"channel.update", {{"id", id}, {"secrets", {{"token", kCanary + "-2"}}}}},
         }) {
        auto r = call(op, m, p);
        ASSERT_TRUE(r.ok()) << m << ": " << r.error().message;
        seen += r->dump();
    }
    // An error that would echo its input: a bad secret name carrying the value.
    auto bad = call(op, "channel.update", {{"id", id}, {"secrets", {{"bad name " + kCanary, kCanary}}}});
    ASSERT_FALSE(bad.ok());
    seen += bad.error().message;
    EXPECT_FALSE(has(seen, kCanary)) << seen;
    EXPECT_FALSE(has(Json(lines(file("s.jsonl"))).dump(), kCanary));
    kernel->shutdown();
    std::string on_disk;
    for (const auto& e : fs::recursive_directory_iterator(tmp.path() / "home")) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        on_disk += std::string(std::istreambuf_iterator<char>(in), {});
    }
    EXPECT_FALSE(on_disk.empty());
    EXPECT_FALSE(has(on_disk, kCanary)) << "the canary is on disk in clear (database or logs)";
}

}  // namespace
}  // namespace cowork::kernel::channels
