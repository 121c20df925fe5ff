// A canary secret must never reach an error text or the log file, whatever
// path it takes.
#include "core/log.hpp"
#include "core/redactor.hpp"
#include "secrets/secret_store.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cowork::kernel::secrets {
namespace {

using cowork::testing::TempDir;

const std::string kCanary = "sk-CANARY-7f3a9c2e-do-not-leak";

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void expect_clean(const Error& e) {
    EXPECT_EQ(e.message.find(kCanary), std::string::npos) << e.message;
    EXPECT_EQ(e.to_json().dump().find(kCanary), std::string::npos);
}

TEST(Canary, NeverInErrorsOrLogs) {
    TempDir dir;
    const auto log_file = dir.path() / "coworkd.log";
    setup_logging(LogOptions{log_file, "debug", false});

    auto backend = std::make_shared<MemoryBackend>();
    SecretStore store{MasterKey::random().value(), backend};
    ASSERT_TRUE(store.put("llm.openai.api_key", kCanary).ok());

    // Error paths: a value passed where a key name belongs, a tampered row,
    // an undeclared plugin read, a policy refusal quoting what it was given.
    auto bad_name = store.get(kCanary);
    ASSERT_FALSE(bad_name.ok());
    expect_clean(bad_name.error());
    auto bad_put = store.put("bad name " + kCanary, kCanary);
    ASSERT_FALSE(bad_put.ok());
    expect_clean(bad_put.error());
    backend->raw("llm.openai.api_key")->ciphertext[0] ^= 0xff;
    auto tampered = store.get("llm.openai.api_key");
    ASSERT_FALSE(tampered.ok());
    expect_clean(tampered.error());
    auto undeclared = store.get_for_plugin("tool.x", "llm.openai.api_key", {}, nullptr);
    ASSERT_FALSE(undeclared.ok());
    expect_clean(undeclared.error());

    // A careless log line mentioning the value.
    logger()->info("calling provider with key {}", kCanary);
    logger()->error("request failed: Authorization: Bearer {}", kCanary);
    logger()->flush();

    const std::string logged = read_all(log_file);
    EXPECT_NE(logged.find("calling provider with key [REDACTED]"), std::string::npos) << logged;
    EXPECT_NE(logged.find("secret 'llm.openai.api_key' stored"), std::string::npos) << logged;
    EXPECT_EQ(logged.find(kCanary), std::string::npos) << logged;
    EXPECT_EQ(logged.find("CANARY"), std::string::npos);
    Redactor::instance().clear();
}

// A plugin writing a secret (cowork.secrets/1 put): stored, refused for want
// of secret:write, refused by policy, under a bad name — the value shows up
// in no error and no log line, while the key names do.
TEST(Canary, PluginWritesNeverLogTheValue) {
    TempDir dir;
    const auto log_file = dir.path() / "coworkd.log";
    setup_logging(LogOptions{log_file, "debug", false});
    SecretStore store{MasterKey::random().value(), std::make_shared<MemoryBackend>()};
    auto allow = [](const std::string&, const std::string&) -> Status { return ok_status(); };
    auto deny = [](const std::string&, const std::string& key) -> Status {
        return make_error("denied", "policy refuses writing " + key);
    };
    const std::vector<std::string> write{"mcp.*.oauth.*"};

    ASSERT_TRUE(store.put_for_plugin("tool.mcp", "mcp.files.oauth.grant", kCanary, write, allow).ok());
    EXPECT_EQ(store.get("mcp.files.oauth.grant").value(), kCanary);
    auto undeclared = store.put_for_plugin("tool.mcp", "llm.openai.api_key", kCanary, write, allow);
    ASSERT_FALSE(undeclared.ok());
    EXPECT_NE(undeclared.error().message.find("secret:write"), std::string::npos) << undeclared.error().message;
    expect_clean(undeclared.error());
    auto refused = store.put_for_plugin("tool.mcp", "mcp.files.oauth.grant", kCanary, write, deny);
    ASSERT_FALSE(refused.ok());
    expect_clean(refused.error());
    auto bad_name = store.put_for_plugin("tool.mcp", "mcp.x.oauth.bad name", kCanary, {"mcp.*"}, allow);
    ASSERT_FALSE(bad_name.ok());
    expect_clean(bad_name.error());
    ASSERT_TRUE(store.put_for_plugin("tool.mcp", "mcp.files.oauth.grant", std::nullopt, write, allow).ok());
    EXPECT_FALSE(store.get("mcp.files.oauth.grant").ok());
    logger()->flush();

    const std::string logged = read_all(log_file);
    EXPECT_NE(logged.find("plugin 'tool.mcp' stored secret 'mcp.files.oauth.grant'"), std::string::npos) << logged;
    EXPECT_NE(logged.find("plugin 'tool.mcp' deleted secret 'mcp.files.oauth.grant'"), std::string::npos) << logged;
    EXPECT_NE(logged.find("secret:write"), std::string::npos) << logged;
    EXPECT_EQ(logged.find(kCanary), std::string::npos) << logged;
    EXPECT_EQ(logged.find("CANARY"), std::string::npos);
    Redactor::instance().clear();
}

}  // namespace
}  // namespace cowork::kernel::secrets
