#include "core/redactor.hpp"
#include "secrets/secret_store.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::secrets {
namespace {

struct StoreFixture : ::testing::Test {
    std::shared_ptr<MemoryBackend> backend = std::make_shared<MemoryBackend>();
    SecretStore store{MasterKey::random().value(), backend};
};

TEST_F(StoreFixture, RoundTrip) {
    ASSERT_TRUE(store.put("llm.openai.api_key", "sk-test-value-1").ok());
    auto value = store.get("llm.openai.api_key");
    ASSERT_TRUE(value.ok()) << value.error().message;
    EXPECT_EQ(*value, "sk-test-value-1");
    ASSERT_TRUE(store.put("llm.openai.api_key", "sk-test-value-2").ok());
    EXPECT_EQ(store.get("llm.openai.api_key").value(), "sk-test-value-2");
    EXPECT_EQ(store.list().value(), std::vector<std::string>{"llm.openai.api_key"});
    ASSERT_TRUE(store.remove("llm.openai.api_key").ok());
    EXPECT_EQ(store.get("llm.openai.api_key").error().code, "secrets.not_found");
}

TEST_F(StoreFixture, StoresCiphertextWithFreshNonceAndKeyId) {
    ASSERT_TRUE(store.put("a.one", "same-plaintext").ok());
    ASSERT_TRUE(store.put("a.two", "same-plaintext").ok());
    const SealedSecret one = *backend->raw("a.one");
    const SealedSecret two = *backend->raw("a.two");
    EXPECT_EQ(one.nonce.size(), 24u);
    EXPECT_NE(one.nonce, two.nonce);
    EXPECT_NE(one.ciphertext, two.ciphertext);
    EXPECT_EQ(one.key_id, store.key_id());
    const std::string raw(one.ciphertext.begin(), one.ciphertext.end());
    EXPECT_EQ(raw.find("same-plaintext"), std::string::npos);
}

TEST_F(StoreFixture, FlippedByteFailsCleanly) {
    ASSERT_TRUE(store.put("k.flip", "value-to-tamper").ok());
    backend->raw("k.flip")->ciphertext[3] ^= 0x01;
    auto value = store.get("k.flip");
    ASSERT_FALSE(value.ok());
    EXPECT_EQ(value.error().code, "secrets.tampered");
    EXPECT_NE(value.error().message.find("k.flip"), std::string::npos);
}

TEST_F(StoreFixture, FlippedNonceFailsCleanly) {
    ASSERT_TRUE(store.put("k.nonce", "value-to-tamper").ok());
    backend->raw("k.nonce")->nonce[0] ^= 0x80;
    EXPECT_EQ(store.get("k.nonce").error().code, "secrets.tampered");
}

TEST_F(StoreFixture, SwappedCiphertextsFail) {
    ASSERT_TRUE(store.put("k.first", "first-value").ok());
    ASSERT_TRUE(store.put("k.second", "second-value").ok());
    SealedSecret* first = backend->raw("k.first");
    SealedSecret* second = backend->raw("k.second");
    std::swap(first->ciphertext, second->ciphertext);
    std::swap(first->nonce, second->nonce);
    EXPECT_EQ(store.get("k.first").error().code, "secrets.tampered");
    EXPECT_EQ(store.get("k.second").error().code, "secrets.tampered");
}

TEST_F(StoreFixture, ValueFromAnotherKeyIsReportedAsSuch) {
    ASSERT_TRUE(store.put("k.moved", "sealed-elsewhere").ok());
    SecretStore other{MasterKey::random().value(), backend};
    auto value = other.get("k.moved");
    ASSERT_FALSE(value.ok());
    EXPECT_EQ(value.error().code, "secrets.wrong_key");
    // Forging the key id does not help: the AD binds it and the key differs.
    backend->raw("k.moved")->key_id = other.key_id();
    EXPECT_EQ(other.get("k.moved").error().code, "secrets.tampered");
}

TEST_F(StoreFixture, BadKeyNamesRejected) {
    EXPECT_EQ(store.put("", "x-value").error().code, "secrets.bad_key");
    EXPECT_EQ(store.put("has space", "x-value").error().code, "secrets.bad_key");
    EXPECT_EQ(store.put(std::string(201, 'a'), "x-value").error().code, "secrets.bad_key");
}

TEST_F(StoreFixture, ReadValuesAreRegisteredWithRedactor) {
    const std::string value = "sk-ONLY-IN-DB-4242";
    SecretStore writer{MasterKey::from_bytes(std::vector<uint8_t>(32, 7)).value(), backend};
    ASSERT_TRUE(writer.put("k.db", value).ok());
    Redactor::instance().clear();  // as after a restart: only the DB knows the value
    EXPECT_FALSE(Redactor::instance().contains_secret(value));
    SecretStore reader{MasterKey::from_bytes(std::vector<uint8_t>(32, 7)).value(), backend};
    EXPECT_TRUE(reader.register_all_with_redactor().empty());
    EXPECT_TRUE(Redactor::instance().contains_secret("token=" + value));
    Redactor::instance().clear();
}

TEST_F(StoreFixture, PluginAccessNeedsDeclarationAndPolicy) {
    ASSERT_TRUE(store.put("channel.telegram.bot_token", "123456:telegram-token").ok());
    ASSERT_TRUE(store.put("llm.openai.api_key", "sk-not-for-telegram").ok());
    int policy_calls = 0;
    auto allow = [&](const std::string&, const std::string&) -> Status {
        ++policy_calls;
        return ok_status();
    };
    auto deny = [](const std::string&, const std::string& key) -> Status {
        return make_error("policy.denied", "policy refuses " + key);
    };
    const std::vector<std::string> declared{"channel.telegram.*"};

    auto granted = store.get_for_plugin("channel.telegram", "channel.telegram.bot_token", declared, allow);
    ASSERT_TRUE(granted.ok()) << granted.error().message;
    EXPECT_EQ(*granted, "123456:telegram-token");
    EXPECT_EQ(policy_calls, 1);

    auto undeclared = store.get_for_plugin("channel.telegram", "llm.openai.api_key", declared, allow);
    ASSERT_FALSE(undeclared.ok());
    EXPECT_EQ(undeclared.error().code, "secrets.undeclared");
    EXPECT_NE(undeclared.error().message.find("llm.openai.api_key"), std::string::npos);
    EXPECT_EQ(policy_calls, 1);  // undeclared never reaches policy

    auto refused = store.get_for_plugin("channel.telegram", "channel.telegram.bot_token", declared, deny);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "policy.denied");
    EXPECT_EQ(refused.error().details.value("plugin", ""), "channel.telegram");

    EXPECT_FALSE(store.get_for_plugin("channel.telegram", "channel.telegram.bot_token", declared, nullptr).ok());
}

}  // namespace
}  // namespace cowork::kernel::secrets
