// Instance configs against a channel plugin's configSchema, and the view
// read-only callers get.
#include "channels/config_rules.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::channels {
namespace {

const Json kSchema = Json::parse(R"({
  "type": "object",
  "properties": {
    "file": {"type": "string", "minLength": 1},
    "retries": {"type": "integer", "minimum": 0},
    "token": {"type": "string", "secret": true}
  },
  "required": ["file", "token"],
  "additionalProperties": false
})");

TEST(ConfigRules, AcceptsAValidConfigWithItsSecretGivenSeparately) {
    EXPECT_TRUE(check_config(kSchema, {{"file", "/tmp/out"}, {"retries", 2}}, {"token"}).ok());
}

TEST(ConfigRules, ErrorsNameTheField) {
    auto wrong_type = check_config(kSchema, {{"file", "/tmp/out"}, {"retries", "two"}}, {"token"});
    ASSERT_FALSE(wrong_type.ok());
    EXPECT_NE(wrong_type.error().message.find("params.config/retries"), std::string::npos) << wrong_type.error().message;
    auto missing = check_config(kSchema, Json::object(), {"token"});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("file"), std::string::npos) << missing.error().message;
    auto extra = check_config(kSchema, {{"file", "x"}, {"colour", "red"}}, {"token"});
    ASSERT_FALSE(extra.ok());
    EXPECT_NE(extra.error().message.find("colour"), std::string::npos) << extra.error().message;
}

TEST(ConfigRules, SecretFieldsBelongInSecrets) {
    auto in_config = check_config(kSchema, {{"file", "x"}, {"token", "abc"}}, {"token"});
    ASSERT_FALSE(in_config.ok());
    EXPECT_NE(in_config.error().message.find("params.secrets.token"), std::string::npos) << in_config.error().message;
    auto missing_secret = check_config(kSchema, {{"file", "x"}}, {});
    ASSERT_FALSE(missing_secret.ok());
    EXPECT_NE(missing_secret.error().message.find("params.secrets.token is required"), std::string::npos);
}

TEST(ConfigRules, ReadersSeeNoPathsOrSecretLookingValues) {
    const Json config{{"file", "/home/me/out.jsonl"},
                      {"chat", "42"},
                      {"apiKey", "plain-looking"},
                      {"url", "https://user:pw@example.com"},
                      {"nested", {{"dir", "~/x"}, {"count", 3}}},
                      {"enabled", true}};
    const Json seen = redact_config_for_readers(config);
    EXPECT_EQ(seen["file"], "[redacted]");
    EXPECT_EQ(seen["chat"], "42");
    EXPECT_EQ(seen["apiKey"], "[redacted]");
    EXPECT_EQ(seen["url"], "[redacted]");
    EXPECT_EQ(seen["nested"]["dir"], "[redacted]");
    EXPECT_EQ(seen["nested"]["count"], 3);
    EXPECT_EQ(seen["enabled"], true);
}

TEST(ConfigRules, ReadersSeeNoPathsInStatusDetails) {
    EXPECT_EQ(redact_detail_for_readers("cannot write to /home/me/out: create it"), "cannot write to [path] create it");
    EXPECT_EQ(redact_detail_for_readers("plugin channel.x is not running: Failed{load, bad file ./lib.so}"),
              "plugin channel.x is not running: Failed{load, bad file [path]");
    EXPECT_EQ(redact_detail_for_readers("delivering to out.jsonl (token set)"), "delivering to out.jsonl (token set)");
}

TEST(ConfigRules, SecretNames) {
    EXPECT_TRUE(valid_secret_name("bot_token-2"));
    EXPECT_FALSE(valid_secret_name(""));
    EXPECT_FALSE(valid_secret_name("a.b"));
    EXPECT_FALSE(valid_secret_name(std::string(65, 'a')));
}

}  // namespace
}  // namespace cowork::kernel::channels
