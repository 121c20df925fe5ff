// Compatibility: a channel plugin built before open/close existed (a table
// whose struct_size stops after `test`) serves one instance. The registry
// never calls open/close on it and takes the state from its `status`.
#include "channels/channel_registry.hpp"

#include "storage/kernel_schema.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace cowork::kernel::channels {
namespace {

int g_sent = 0;

cowork_status reply(const cowork_sink* out, const std::string& json) {
    out->write(out->ctx, json.data(), json.size());
    return COWORK_OK;
}
cowork_status old_send(void*, const char*, size_t, const cowork_sink* out) {
    ++g_sent;
    return reply(out, R"({"messageId":"old-1"})");
}
cowork_status old_status(void*, const char*, size_t, const cowork_sink* out) {
    return reply(out, R"({"state":"connected","detail":"single bot"})");
}
cowork_status old_test(void*, const char*, size_t, const cowork_sink* out) {
    return reply(out, R"({"ok":true,"detail":"fine"})");
}

// A version-1.0 table: three slots, and memory after it that must never be read.
struct OldTable {
    cowork_channel_v1 table;
};

class OldPlugin final : public ChannelPlugins {
public:
    OldPlugin() {
        std::memset(&t_, 0xAB, sizeof t_);  // poison the slots a 1.0 plugin does not have
        t_.table.struct_size = COWORK_CHANNEL_V1_BASE_SIZE;
        t_.table.self = nullptr;
        t_.table.send = &old_send;
        t_.table.status = &old_status;
        t_.table.test = &old_test;
    }
    PluginView view(const std::string& id) const override {
        PluginView v;
        plugins::Manifest m;
        m.id = id;
        m.type = "channel";
        m.provides = {COWORK_IFACE_CHANNEL};
        v.manifest = m;
        v.known = v.running = true;
        v.state = "Running";
        v.table = &t_.table;
        return v;
    }

private:
    OldTable t_{};
};

TEST(SingleInstanceChannel, OpensWithoutOpenAndSendsThroughTheOldTable) {
    cowork::testing::TempDir tmp;
    storage::Migrations m;
    ASSERT_TRUE(m.add(storage::kernel_migrations()).ok());
    ASSERT_TRUE(m.add(channel_migrations()).ok());
    auto db = std::move(storage::Database::open({.path = tmp.path() / "cowork.db"}, m)).value();
    ChannelRepo repo(*db);
    OldPlugin plugin;
    RegistryOptions o;
    o.watch_period = std::chrono::milliseconds(0);
    ChannelRegistry registry(RegistryDeps{repo, plugin, nullptr, "no secrets in this test", nullptr}, o);
    EXPECT_FALSE(ChannelTable("channel.old", plugin.view("channel.old").table).has_instances());

    NewChannel req;
    req.plugin = "channel.old";
    req.name = "the-one";
    auto created = registry.create(req);
    ASSERT_TRUE(created.ok()) << created.error().message;
    EXPECT_EQ(created->status.state, "connected");
    EXPECT_EQ(created->status.detail, "single bot");
    auto sent = registry.send(created->id, {{"chatId", "1"}, {"text", "hi"}});
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    EXPECT_EQ((*sent)["messageId"], "old-1");
    EXPECT_EQ(g_sent, 1);
    ChannelPatch off;
    off.enabled = false;
    ASSERT_TRUE(registry.update(created->id, off).ok());  // no close slot is called: it would crash on the poison
    EXPECT_EQ(registry.get(created->id)->status.state, "disabled");
    registry.stop();
    db->close();
}

TEST(SingleInstanceChannel, SecretsNeedTheSecretsService) {
    cowork::testing::TempDir tmp;
    storage::Migrations m;
    ASSERT_TRUE(m.add(storage::kernel_migrations()).ok());
    ASSERT_TRUE(m.add(channel_migrations()).ok());
    auto db = std::move(storage::Database::open({.path = tmp.path() / "cowork.db"}, m)).value();
    ChannelRepo repo(*db);
    OldPlugin plugin;
    ChannelRegistry registry(RegistryDeps{repo, plugin, nullptr, "no key file (see doctor)", nullptr},
                             RegistryOptions{.active = false});
    NewChannel req;
    req.plugin = "channel.old";
    req.name = "with-secret";
    req.secrets["token"] = "abcdef";
    auto refused = registry.create(req);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("secrets are unavailable: no key file"), std::string::npos);
    EXPECT_TRUE(registry.list()->empty()) << "nothing stored when the secret could not be";
    db->close();
}

}  // namespace
}  // namespace cowork::kernel::channels
