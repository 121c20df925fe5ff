#include "config/load.hpp"
#include "core/redactor.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::config {
namespace {

const char* kText = R"(
[secrets]
key_source = "keyfile"
keyfile = "/home/me/.local/share/cowork/secrets.key"
[plugins."channel.telegram"]
bot_token = "123456:AAAA-telegram-secret"
webhookSecret = ""
chat_id = "42"
nested = { password = "hunter2-nested", user = "me" }
pin = "9999-pin-code"
[providers.openai]
api_key = "sk-provider-secret-1"
apiKey = "sk-provider-secret-2"
base_url = "https://api.openai.com/v1"
)";

TEST(Sanitize, SecretValuesNeverInSanitisedJson) {
    auto loaded = load_text(kText, "s.toml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    const SecretFields schema_secrets{{"channel.telegram", {"pin"}}};
    const Json j = to_json(loaded->config, Sanitize::yes, schema_secrets);
    const std::string dump = j.dump();
    for (const char* secret : {"123456:AAAA-telegram-secret", "hunter2-nested", "9999-pin-code", "sk-provider-secret-1",
                               "sk-provider-secret-2"})
        EXPECT_EQ(dump.find(secret), std::string::npos) << secret;
    const Json& tg = j["plugins"]["channel.telegram"];
    EXPECT_EQ(tg["bot_token"], "[set]");
    EXPECT_EQ(tg["webhookSecret"], "[unset]");
    EXPECT_EQ(tg["pin"], "[set]");
    EXPECT_EQ(tg["chat_id"], "42");
    EXPECT_EQ(tg["nested"]["password"], "[set]");
    EXPECT_EQ(tg["nested"]["user"], "me");
    EXPECT_EQ(j["providers"]["openai"]["base_url"], "https://api.openai.com/v1");
    // Names that merely contain "key" are not secrets.
    EXPECT_EQ(j["secrets"]["key_source"], "keyfile");
    EXPECT_EQ(j["secrets"]["keyfile"], "/home/me/.local/share/cowork/secrets.key");
}

TEST(Sanitize, UnsanitisedKeepsValuesAndSecretsReachTheRedactor) {
    Redactor::instance().clear();
    auto loaded = load_text(kText, "s.toml");
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(to_json(loaded->config, Sanitize::no)["providers"]["openai"]["api_key"], "sk-provider-secret-1");
    EXPECT_TRUE(Redactor::instance().contains_secret("x sk-provider-secret-1 y"));
    EXPECT_TRUE(Redactor::instance().contains_secret("hunter2-nested"));
    EXPECT_FALSE(Redactor::instance().contains_secret("https://api.openai.com/v1"));
    Redactor::instance().clear();
}

TEST(Sanitize, SecretKeyNames) {
    for (const char* name : {"api_key", "apiKey", "bot_token", "client-secret", "PASSWORD", "passphrase", "secret"})
        EXPECT_TRUE(is_secret_key_name(name)) << name;
    for (const char* name : {"key_source", "keyfile", "token_url", "secret_name", "monkey", "tokens_per_minute"})
        EXPECT_FALSE(is_secret_key_name(name)) << name;
}

TEST(Sanitize, SecretFieldsFromSchema) {
    const Json schema = Json::parse(R"({"type": "object", "properties": {
        "pin": {"type": "string", "secret": true}, "chat_id": {"type": "string"}}})");
    EXPECT_EQ(secret_fields_from_schema(schema), std::vector<std::string>{"pin"});
    EXPECT_TRUE(secret_fields_from_schema(Json::object()).empty());
}

}  // namespace
}  // namespace cowork::kernel::config
