// The channel registry against the real channel.loopback plugin, loaded by
// the real plugin manager: open/close/reopen, status events, validation,
// secrets, and rows changed by another process.
#include "channel_fixture.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cowork::kernel::channels {
namespace {

using testing::kLoopback;
using testing::World;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class Registry : public ::testing::Test {
protected:
    cowork::testing::TempDir tmp;
};

TEST_F(Registry, CreatingOpensTheInstanceAndPublishesEachChange) {
    World w(tmp.path());
    const auto c = w.create("work", {{"file", w.file("out.jsonl").string()}});
    EXPECT_FALSE(w.events().wait_for(c.id, "connecting").is_null());
    const Json connected = w.events().wait_for(c.id, "connected");
    ASSERT_FALSE(connected.is_null());
    EXPECT_EQ(connected["plugin"], kLoopback);
    EXPECT_EQ(connected["name"], "work");
    EXPECT_EQ(connected["detail"], "delivering to out.jsonl");
    EXPECT_EQ(w.registry().get(c.id)->status.state, "connected");
}

TEST_F(Registry, SendAppendsThroughThePluginOnceForOneIdempotencyKey) {
    World w(tmp.path());
    const auto out = w.file("out.jsonl");
    const auto c = w.create("work", {{"file", out.string()}});
    auto first = w.registry().send(c.id, {{"chatId", "alice"}, {"text", "hello"}, {"idempotencyKey", "k1"}});
    ASSERT_TRUE(first.ok()) << first.error().message;
    auto again = w.registry().send(c.id, {{"chatId", "alice"}, {"text", "hello"}, {"idempotencyKey", "k1"}});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ((*first)["messageId"], (*again)["messageId"]);
    const auto lines = w.delivered(out);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0]["channelId"], c.id);
    EXPECT_EQ(lines[0]["chatId"], "alice");
    EXPECT_EQ(lines[0]["text"], "hello");
}

TEST_F(Registry, TwoInstancesOfOnePluginStaySeparate) {
    World w(tmp.path());
    const auto a = w.create("a", {{"file", w.file("a.jsonl").string()}});
    const auto b = w.create("b", {{"file", w.file("b.jsonl").string()}});
    ASSERT_TRUE(w.registry().send(a.id, {{"chatId", "1"}, {"text", "to a"}}).ok());
    ASSERT_TRUE(w.registry().send(b.id, {{"chatId", "2"}, {"text", "to b"}}).ok());
    ASSERT_EQ(w.delivered(w.file("a.jsonl")).size(), 1u);
    EXPECT_EQ(w.delivered(w.file("a.jsonl"))[0]["text"], "to a");
    EXPECT_EQ(w.delivered(w.file("b.jsonl"))[0]["text"], "to b");
}

TEST_F(Registry, DisableClosesAndEnableReopens) {
    World w(tmp.path());
    const auto c = w.create("work", {{"file", w.file("out.jsonl").string()}});
    ASSERT_FALSE(w.events().wait_for(c.id, "connected").is_null());
    ChannelPatch off;
    off.enabled = false;
    ASSERT_TRUE(w.registry().update(c.id, off).ok());
    EXPECT_FALSE(w.events().wait_for(c.id, "disabled").is_null());
    auto refused = w.registry().send(c.id, {{"chatId", "x"}, {"text", "y"}});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, kDisabledError);
    EXPECT_TRUE(refused.error().details.value("permanent", false));
    // The plugin itself forgot it: a direct call says so.
    auto* table = static_cast<const cowork_channel_v1*>(w.manager().interface(kLoopback, COWORK_IFACE_CHANNEL));
    ASSERT_NE(table, nullptr);
    auto direct = ChannelTable(kLoopback, table).status({{"channelId", c.id}});
    ASSERT_FALSE(direct.ok());
    EXPECT_EQ(direct.error().details["status"], "not_found");

    const size_t mark = w.events().size();
    ChannelPatch on;
    on.enabled = true;
    ASSERT_TRUE(w.registry().update(c.id, on).ok());
    EXPECT_FALSE(w.events().wait_for(c.id, "connected", mark).is_null());
    EXPECT_TRUE(w.registry().send(c.id, {{"chatId", "x"}, {"text", "back"}}).ok());
}

TEST_F(Registry, UpdatingTheConfigReopensWithTheNewOne) {
    World w(tmp.path());
    const auto c = w.create("work", {{"file", w.file("old.jsonl").string()}});
    ASSERT_FALSE(w.events().wait_for(c.id, "connected").is_null());
    ChannelPatch patch;
    patch.config = Json{{"file", w.file("new.jsonl").string()}};
    auto updated = w.registry().update(c.id, patch);
    ASSERT_TRUE(updated.ok()) << updated.error().message;
    EXPECT_GT(updated->updated_at, c.updated_at);
    ASSERT_TRUE(w.registry().send(c.id, {{"chatId", "1"}, {"text", "after"}}).ok());
    EXPECT_TRUE(w.delivered(w.file("old.jsonl")).empty());
    EXPECT_EQ(w.delivered(w.file("new.jsonl")).size(), 1u);
    EXPECT_EQ(w.registry().get(c.id)->status.detail, "delivering to new.jsonl");
}

TEST_F(Registry, RemoveClosesItAndDeletesItsSecrets) {
    World w(tmp.path());
    const auto c = w.create("work", {{"file", w.file("out.jsonl").string()}}, {{"token", "tok-123456"}});
    ASSERT_EQ(c.secret_refs, std::vector<std::string>{"token"});
    ASSERT_TRUE(w.secrets().get(secret_key(c.id, "token")).ok());
    ASSERT_TRUE(w.registry().remove(c.id).ok());
    const Json removed = w.events().wait_for(c.id, "disabled");
    ASSERT_FALSE(removed.is_null());
    EXPECT_EQ(removed["detail"], "removed");
    EXPECT_FALSE(w.secrets().get(secret_key(c.id, "token")).ok());
    auto gone = w.registry().get(c.id);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, kNotFound);
    auto send = w.registry().send(c.id, {{"chatId", "x"}, {"text", "y"}});
    ASSERT_FALSE(send.ok());
    EXPECT_TRUE(send.error().details.value("permanent", false));
}

TEST_F(Registry, SecretsReachThePluginButNoResultOrEvent) {
    World w(tmp.path());
    const std::string token = "tok-CANARY-91b2c3";
    NewChannel without;
    without.plugin = kLoopback;
    without.name = "needs-token";
    without.config = {{"file", w.file("a.jsonl").string()}, {"requireToken", true}};
    auto refused = w.registry().create(without);
    ASSERT_TRUE(refused.ok());  // stored; the plugin refuses to open it
    const Json error = w.events().wait_for(refused->id, "error");
    ASSERT_FALSE(error.is_null());
    EXPECT_TRUE(has(error["detail"], "no token")) << error.dump();

    ChannelPatch give;
    give.secrets["token"] = token;
    auto fixed = w.registry().update(refused->id, give);
    ASSERT_TRUE(fixed.ok()) << fixed.error().message;
    const Json connected = w.events().wait_for(refused->id, "connected");
    ASSERT_FALSE(connected.is_null());
    EXPECT_EQ(connected["detail"], "delivering to a.jsonl (token set)");
    EXPECT_FALSE(has(to_json(*fixed).dump(), token));
    EXPECT_FALSE(has(to_json(*w.registry().get(fixed->id)).dump(), token));
    for (const auto& e : w.events().all()) EXPECT_FALSE(has(e.dump(), token));
}

TEST_F(Registry, RefusesBadInputNamingTheField) {
    World w(tmp.path(), {.fixtures = {kLoopback, "tool.fx-a"}});
    NewChannel req;
    req.plugin = "channel.nope";
    req.name = "x";
    auto unknown = w.registry().create(req);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, kInvalid);
    EXPECT_TRUE(has(unknown.error().message, "unknown plugin 'channel.nope'")) << unknown.error().message;

    req.plugin = "tool.fx-a";
    auto not_channel = w.registry().create(req);
    ASSERT_FALSE(not_channel.ok());
    EXPECT_TRUE(has(not_channel.error().message, "not a channel")) << not_channel.error().message;

    req.plugin = kLoopback;
    req.config = {{"file", "x"}, {"failNext", "three"}};
    auto bad_config = w.registry().create(req);
    ASSERT_FALSE(bad_config.ok());
    EXPECT_TRUE(has(bad_config.error().message, "params.config/failNext")) << bad_config.error().message;

    req.config = {{"file", "x"}, {"token", "in-the-wrong-place"}};
    auto secret_in_config = w.registry().create(req);
    ASSERT_FALSE(secret_in_config.ok());
    EXPECT_TRUE(has(secret_in_config.error().message, "params.secrets.token")) << secret_in_config.error().message;

    req.config = {{"file", w.file("o.jsonl").string()}};
    req.name = "";
    EXPECT_TRUE(has(w.registry().create(req).error().message, "params.name"));
    req.name = "dup";
    ASSERT_TRUE(w.registry().create(req).ok());
    auto dup = w.registry().create(req);
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, kDuplicateName);
    EXPECT_EQ(w.registry().list()->size(), 1u);  // nothing half-made was left behind
}

TEST_F(Registry, TestChecksTheTargetDirectory) {
    World w(tmp.path());
    const auto good = w.create("good", {{"file", w.file("out.jsonl").string()}});
    auto ok = w.registry().test(good.id);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ((*ok)["ok"], true);
    const auto bad = w.create("bad", {{"file", (tmp.path() / "missing-dir" / "out.jsonl").string()}});
    auto not_ok = w.registry().test(bad.id);
    ASSERT_TRUE(not_ok.ok());
    EXPECT_EQ((*not_ok)["ok"], false);
    EXPECT_TRUE(has((*not_ok)["detail"], "cannot write")) << not_ok->dump();
}

// A pass asks open instances how they are: a change the plugin reports
// (here: the delivery directory vanished) becomes an event, and events carry
// no paths while channel.get tells a writer where.
TEST_F(Registry, APassPublishesWhatThePluginReports) {
    World w(tmp.path());
    const auto dir = w.file("outbox-dir");
    std::filesystem::create_directories(dir);
    const auto c = w.create("work", {{"file", (dir / "out.jsonl").string()}});
    ASSERT_FALSE(w.events().wait_for(c.id, "connected").is_null());
    std::filesystem::remove_all(dir);
    size_t mark = w.events().size();
    w.registry().reconcile();
    const Json error = w.events().wait_for(c.id, "error", mark);
    ASSERT_FALSE(error.is_null());
    EXPECT_EQ(error["detail"], "cannot write to [path] create it or pick another file");
    EXPECT_TRUE(has(w.registry().get(c.id)->status.detail, dir.string()));
    std::filesystem::create_directories(dir);
    mark = w.events().size();
    w.registry().reconcile();
    EXPECT_FALSE(w.events().wait_for(c.id, "connected", mark).is_null());
}

// The CLI writes the same database: a running coworkd's registry applies
// what it finds on its next pass.
TEST_F(Registry, AppliesRowsChangedByAnotherProcess) {
    World w(tmp.path());
    ChannelRepo repo(w.db());
    // A passive registry, like the CLI's: it reads the same manifests, but
    // no plugin runs in its process.
    struct Borrowed final : ChannelPlugins {
        const ChannelPlugins& inner;
        explicit Borrowed(const ChannelPlugins& i) : inner(i) {}
        PluginView view(const std::string& id) const override {
            PluginView v = inner.view(id);
            v.running = false;  // the CLI does not run plugins
            v.table = nullptr;
            return v;
        }
    };
    Borrowed cli_view(w.plugins());
    RegistryOptions passive_options;
    passive_options.active = false;
    ChannelRegistry cli(RegistryDeps{repo, cli_view, &w.secrets(), "", nullptr}, passive_options);

    NewChannel req;
    req.plugin = kLoopback;
    req.name = "from-cli";
    req.config = {{"file", w.file("cli.jsonl").string()}};
    auto created = cli.create(req);
    ASSERT_TRUE(created.ok()) << created.error().message;
    EXPECT_EQ(created->status.state, "connecting");
    auto not_here = cli.send(created->id, {{"chatId", "1"}, {"text", "x"}});
    ASSERT_FALSE(not_here.ok());
    EXPECT_FALSE(not_here.error().details.value("permanent", true));
    EXPECT_TRUE(has(not_here.error().message, "coworkd"));

    w.registry().reconcile();
    EXPECT_FALSE(w.events().wait_for(created->id, "connected").is_null());
    ASSERT_TRUE(w.registry().send(created->id, {{"chatId", "1"}, {"text", "via daemon"}}).ok());

    ChannelPatch off;
    off.enabled = false;
    ASSERT_TRUE(cli.update(created->id, off).ok());
    w.registry().reconcile();
    EXPECT_FALSE(w.events().wait_for(created->id, "disabled").is_null());

    ASSERT_TRUE(cli.remove(created->id).ok());
    const size_t mark = w.events().size();
    w.registry().reconcile();
    const Json removed = w.events().wait_for(created->id, "disabled", mark);
    ASSERT_FALSE(removed.is_null());
    EXPECT_EQ(removed["detail"], "removed");
}

TEST_F(Registry, InboxLinesArePublishedAsChannelInbound) {
    World w(tmp.path());
    const auto inbox = w.file("inbox.jsonl");
    std::ofstream(inbox).close();
    std::mutex m;
    std::condition_variable cv;
    std::vector<Json> inbound;
    auto sub = w.bus().subscribe("channel.inbound", [&](const bus::Event& e) {
        std::lock_guard lock(m);
        inbound.push_back(testing::payload_json(e));
        cv.notify_all();
    });
    ASSERT_TRUE(sub.ok());
    const auto c = w.create("chat", {{"file", w.file("out.jsonl").string()}, {"inbox", inbox.string()}});
    ASSERT_FALSE(w.events().wait_for(c.id, "connected").is_null());
    std::ofstream(inbox, std::ios::app) << Json{{"chatId", "alice"}, {"sender", "Alice"}, {"text", "hi there"}}.dump() << "\n";
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return !inbound.empty(); }));
    EXPECT_EQ(inbound[0]["channelId"], c.id);
    EXPECT_EQ(inbound[0]["chatId"], "alice");
    EXPECT_EQ(inbound[0]["sender"], "Alice");
    EXPECT_EQ(inbound[0]["text"], "hi there");
}

}  // namespace
}  // namespace cowork::kernel::channels
