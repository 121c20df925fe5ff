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

}  // namespace
}  // namespace cowork::kernel::secrets
