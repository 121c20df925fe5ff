// RegistryChannelSender: what the outbox sees for each outcome.
#include "channel_fixture.hpp"

#include "channels/registry_channel_sender.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::channels {
namespace {

using testing::World;

outbox::Delivery delivery(const std::string& channel_id, const std::string& key = "") {
    return {"dlv_1", channel_id, "alice", "your report is ready", key, Json{{"cronJobId", "job_1"}}};
}

bool permanent(const Error& e) { return e.details.value("permanent", false); }

TEST(RegistryChannelSender, DeliversThroughThePlugin) {
    cowork::testing::TempDir tmp;
    World w(tmp.path());
    const auto c = w.create("work", {{"file", w.file("out.jsonl").string()}});
    RegistryChannelSender sender(w.registry());
    auto sent = sender.send(delivery(c.id, "cron:job_1:1"));
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    EXPECT_TRUE((*sent)["messageId"].is_string());
    const auto lines = w.delivered(w.file("out.jsonl"));
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0]["chatId"], "alice");
    EXPECT_EQ(lines[0]["text"], "your report is ready");
    EXPECT_EQ(lines[0]["idempotencyKey"], "cron:job_1:1");
    // A retry of the same delivery does not deliver twice.
    ASSERT_TRUE(sender.send(delivery(c.id, "cron:job_1:1")).ok());
    EXPECT_EQ(w.delivered(w.file("out.jsonl")).size(), 1u);
}

TEST(RegistryChannelSender, UnknownAndDisabledChannelsArePermanent) {
    cowork::testing::TempDir tmp;
    World w(tmp.path());
    RegistryChannelSender sender(w.registry());
    auto unknown = sender.send(delivery("ch_missing"));
    ASSERT_FALSE(unknown.ok());
    EXPECT_TRUE(permanent(unknown.error()));
    const auto c = w.create("work", {{"file", w.file("out.jsonl").string()}});
    ChannelPatch off;
    off.enabled = false;
    ASSERT_TRUE(w.registry().update(c.id, off).ok());
    auto disabled = sender.send(delivery(c.id));
    ASSERT_FALSE(disabled.ok());
    EXPECT_TRUE(permanent(disabled.error()));
    EXPECT_NE(disabled.error().message.find("disabled"), std::string::npos);
}

TEST(RegistryChannelSender, TransientFailuresAreRetryableAndThenSucceed) {
    cowork::testing::TempDir tmp;
    World w(tmp.path());
    const auto c = w.create("flaky", {{"file", w.file("out.jsonl").string()}, {"failNext", 2}});
    RegistryChannelSender sender(w.registry());
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto failed = sender.send(delivery(c.id, "k"));
        ASSERT_FALSE(failed.ok());
        EXPECT_FALSE(permanent(failed.error())) << failed.error().message;
    }
    ASSERT_TRUE(sender.send(delivery(c.id, "k")).ok());
    EXPECT_EQ(w.delivered(w.file("out.jsonl")).size(), 1u);
}

TEST(RegistryChannelSender, RefusalsThePluginCallsPermanentArePermanent) {
    cowork::testing::TempDir tmp;
    World w(tmp.path());
    const auto c = w.create("refusing", {{"file", w.file("out.jsonl").string()}, {"failPermanently", true}});
    RegistryChannelSender sender(w.registry());
    auto refused = sender.send(delivery(c.id));
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(permanent(refused.error()));
    EXPECT_NE(refused.error().message.find("failPermanently"), std::string::npos);
}

TEST(RegistryChannelSender, AChannelServedByNoRunningPluginIsRetryable) {
    cowork::testing::TempDir tmp;
    World w(tmp.path(), {.active = false});
    const auto c = w.create("later", {{"file", w.file("out.jsonl").string()}});
    RegistryChannelSender sender(w.registry());
    auto later = sender.send(delivery(c.id));
    ASSERT_FALSE(later.ok());
    EXPECT_FALSE(permanent(later.error()));
}

}  // namespace
}  // namespace cowork::kernel::channels
