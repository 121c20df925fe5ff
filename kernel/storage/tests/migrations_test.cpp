#include "storage/connection.hpp"
#include "storage/sqlite.hpp"
#include "test_support.hpp"

namespace cowork::kernel::storage {
namespace {

using testing::TempDir;

MigrationSet notes_v(int latest) {
    MigrationSet set{"notes", {}};
    if (latest >= 1) set.migrations.push_back({1, "notes table", "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)"});
    if (latest >= 2) set.migrations.push_back({2, "notes tag", "ALTER TABLE notes ADD COLUMN tag TEXT"});
    return set;
}

Result<std::unique_ptr<Database>> open_with(const std::filesystem::path& file, std::vector<MigrationSet> sets) {
    Migrations m;
    for (auto& s : sets)
        if (auto r = m.add(std::move(s)); !r) return std::move(r).error();
    return Database::open({.path = file}, m);
}

Json rows(Database& db, const std::string& sql) {
    return db.read<Json>([&](sqlite3* c) { return query(c, sql); }).value_or(Json());
}

TEST(Migrations, ApplyOnceAndAreIdempotent) {
    TempDir dir;
    const auto file = dir.path() / "cowork.db";
    for (int round = 0; round < 3; ++round) {
        auto db = open_with(file, {kernel_migrations(), notes_v(2)});
        ASSERT_TRUE(db.ok()) << db.error().message;
        const Json applied = rows(**db, "SELECT component, version FROM schema_migrations ORDER BY component, version");
        ASSERT_EQ(applied.size(), 3u) << applied.dump();
        EXPECT_EQ(applied[0]["component"], "kernel");
        EXPECT_EQ(applied[2]["version"], 2);
    }
}

TEST(Migrations, NewComponentVersionsApplyIncrementally) {
    TempDir dir;
    const auto file = dir.path() / "cowork.db";
    ASSERT_TRUE(open_with(file, {kernel_migrations(), notes_v(1)}).ok());
    auto db = open_with(file, {kernel_migrations(), notes_v(2)});
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(rows(**db, "SELECT tag FROM notes").size(), 0u);  // column exists: query prepares
    auto late = (*db)->migrate(MigrationSet{"late", {{1, "late table", "CREATE TABLE late(x)"}}}).get();
    ASSERT_TRUE(late.ok()) << late.error().message;
    EXPECT_EQ(*late, std::vector<int>{1});
    auto again = (*db)->migrate(MigrationSet{"late", {{1, "late table", "CREATE TABLE late(x)"}}}).get();
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->empty());
}

TEST(Migrations, RefusesADatabaseNewerThanTheCode) {
    TempDir dir;
    const auto file = dir.path() / "cowork.db";
    ASSERT_TRUE(open_with(file, {kernel_migrations(), notes_v(2)}).ok());
    auto old_build = open_with(file, {kernel_migrations(), notes_v(1)});
    ASSERT_FALSE(old_build.ok());
    EXPECT_EQ(old_build.error().code, "storage.schema_newer");
    EXPECT_NE(old_build.error().message.find("'notes' schema version 2"), std::string::npos) << old_build.error().message;
    EXPECT_NE(old_build.error().message.find("versions 1..1"), std::string::npos);
}

TEST(Migrations, FailingMigrationLeavesNoTrace) {
    TempDir dir;
    const auto file = dir.path() / "cowork.db";
    MigrationSet broken{"broken", {{1, "half", "CREATE TABLE half(x); INSERT INTO no_such_table VALUES(1);"}}};
    auto db = open_with(file, {kernel_migrations(), broken});
    ASSERT_FALSE(db.ok());
    EXPECT_NE(db.error().message.find("broken/1"), std::string::npos) << db.error().message;
    auto fixed = open_with(file, {kernel_migrations()});
    ASSERT_TRUE(fixed.ok());
    EXPECT_TRUE(rows(**fixed, "SELECT name FROM sqlite_schema WHERE name='half'").empty())
        << "the table created before the failing statement must be rolled back";
}

TEST(Migrations, RegistryRejectsBadSets) {
    Migrations m;
    EXPECT_TRUE(m.add(kernel_migrations()).ok());
    EXPECT_FALSE(m.add(kernel_migrations()).ok());  // duplicate component
    EXPECT_FALSE(m.add(MigrationSet{"x", {{2, "a", ""}, {1, "b", ""}}}).ok());  // not increasing
    EXPECT_FALSE(m.add(MigrationSet{"", {}}).ok());
}

TEST(Migrations, KernelSchemaHasEveryTable) {
    TempDir dir;
    auto db = open_with(dir.path() / "cowork.db", {kernel_migrations()});
    ASSERT_TRUE(db.ok());
    for (const char* table : {"workspaces", "tasks", "task_events", "approvals", "settings", "secure_settings",
                              "plugin_state", "audit_log"}) {
        EXPECT_TRUE(is_kernel_table(table));
        EXPECT_EQ(rows(**db, std::string("SELECT name FROM sqlite_schema WHERE type='table' AND name='") + table + "'").size(),
                  1u)
            << table;
    }
}

}  // namespace
}  // namespace cowork::kernel::storage
