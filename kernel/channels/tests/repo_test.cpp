// ChannelRepo against a real SQLite file: rows round-trip, names are unique,
// status writes leave updated_at alone.
#include "channels/channel_repo.hpp"

#include "storage/ids.hpp"
#include "storage/kernel_schema.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::channels {
namespace {

std::unique_ptr<storage::Database> open_db(const std::filesystem::path& dir) {
    storage::Migrations m;
    EXPECT_TRUE(m.add(storage::kernel_migrations()).ok());
    EXPECT_TRUE(m.add(channel_migrations()).ok());
    return std::move(storage::Database::open({.path = dir / "cowork.db"}, m)).value();
}

ChannelInstance sample(const std::string& name) {
    ChannelInstance c;
    c.id = storage::new_id("ch_");
    c.plugin = "channel.telegram";
    c.name = name;
    c.config = {{"chat", "42"}, {"nested", {{"a", 1}}}};
    c.secret_refs = {"token"};
    c.created_at = c.updated_at = 1000;
    return c;
}

TEST(ChannelRepo, RoundTripsEveryField) {
    testing::TempDir tmp;
    auto db = open_db(tmp.path());
    ChannelRepo repo(*db);
    const auto c = sample("work-bot");
    ASSERT_TRUE(repo.insert(c).ok());
    auto got = repo.get(c.id);
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->plugin, "channel.telegram");
    EXPECT_EQ((*got)->name, "work-bot");
    EXPECT_TRUE((*got)->enabled);
    EXPECT_EQ((*got)->config, c.config);
    EXPECT_EQ((*got)->secret_refs, std::vector<std::string>{"token"});
    EXPECT_EQ((*got)->updated_at, 1000);
    auto by_name = repo.find_by_name("work-bot");
    ASSERT_TRUE(by_name.ok() && by_name->has_value());
    EXPECT_EQ((*by_name)->id, c.id);
}

TEST(ChannelRepo, NamesAreUnique) {
    testing::TempDir tmp;
    auto db = open_db(tmp.path());
    ChannelRepo repo(*db);
    ASSERT_TRUE(repo.insert(sample("bot")).ok());
    auto again = repo.insert(sample("bot"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "channel.duplicate_name");
    EXPECT_NE(again.error().message.find("'bot'"), std::string::npos);
    auto other = sample("other");
    ASSERT_TRUE(repo.insert(other).ok());
    other.name = "bot";
    auto renamed = repo.update(other);
    ASSERT_FALSE(renamed.ok());
    EXPECT_EQ(renamed.error().code, "channel.duplicate_name");
}

TEST(ChannelRepo, StatusWritesKeepUpdatedAt) {
    testing::TempDir tmp;
    auto db = open_db(tmp.path());
    ChannelRepo repo(*db);
    const auto c = sample("bot");
    ASSERT_TRUE(repo.insert(c).ok());
    repo.record_status(c.id, {"error", "plugin down", 5000});
    // Writes apply in order: once a later one is done, the status is on disk.
    ASSERT_TRUE(repo.remove("ch_none").ok());
    auto got = repo.get(c.id);
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->status.state, "error");
    EXPECT_EQ((*got)->status.detail, "plugin down");
    EXPECT_EQ((*got)->updated_at, 1000);
}

TEST(ChannelRepo, RemoveDeletesTheRow) {
    testing::TempDir tmp;
    auto db = open_db(tmp.path());
    ChannelRepo repo(*db);
    const auto c = sample("bot");
    ASSERT_TRUE(repo.insert(c).ok());
    ASSERT_TRUE(repo.remove(c.id).ok());
    auto got = repo.get(c.id);
    ASSERT_TRUE(got.ok());
    EXPECT_FALSE(got->has_value());
    EXPECT_TRUE(repo.list()->empty());
}

}  // namespace
}  // namespace cowork::kernel::channels
