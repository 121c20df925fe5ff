#include "storage/plugin_store.hpp"
#include "test_support.hpp"

namespace cowork::kernel::storage {
namespace {

using testing::open_db;
using testing::TempDir;

class PluginStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        db = open_db(dir.path() / "cowork.db");
        ASSERT_TRUE(db);
        notes = std::make_unique<PluginStore>(*db, "tool.notes");
        auto r = notes->migrate({{"migrations",
                                  {{{"version", 1},
                                    {"sql", "CREATE TABLE p_tool_notes_items(id INTEGER PRIMARY KEY AUTOINCREMENT,"
                                            " body TEXT, data BLOB);"
                                            "CREATE INDEX p_tool_notes_items_body ON p_tool_notes_items(body);"}}}}})
                     .get();
        ASSERT_TRUE(r.ok()) << r.error().message;
    }

    Result<Json> exec(PluginStore& store, const std::string& sql, Json params = Json::array()) {
        return store.exec({{"sql", sql}, {"params", params}}).get();
    }

    static void expect_denied(const Result<Json>& r, const std::string& must_mention) {
        ASSERT_FALSE(r.ok()) << "expected a denial mentioning " << must_mention;
        EXPECT_EQ(r.error().code, "plugin_store.denied") << r.error().message;
        EXPECT_NE(r.error().message.find(must_mention), std::string::npos) << r.error().message;
    }

    TempDir dir;
    std::unique_ptr<Database> db;
    std::unique_ptr<PluginStore> notes;
};

TEST_F(PluginStoreTest, OwnTablesWorkWithParamsAndRows) {
    EXPECT_EQ(notes->table_prefix(), "p_tool_notes_");
    auto ins = exec(*notes, "INSERT INTO p_tool_notes_items(body) VALUES(?), (?)", {"a", "b"});
    ASSERT_TRUE(ins.ok()) << ins.error().message;
    EXPECT_EQ((*ins)["changes"], 2);
    auto sel = exec(*notes, "SELECT id, body FROM p_tool_notes_items WHERE body=:b", {{"b", "b"}});
    ASSERT_TRUE(sel.ok()) << sel.error().message;
    ASSERT_EQ((*sel)["rows"].size(), 1u);
    EXPECT_EQ((*sel)["rows"][0]["body"], "b");
    EXPECT_EQ((*sel)["rows"][0]["id"], 2);
    EXPECT_TRUE(exec(*notes, "PRAGMA table_info(p_tool_notes_items)").ok());
    // Renaming within the prefix is fine, AUTOINCREMENT bookkeeping included.
    auto renamed = exec(*notes, "ALTER TABLE p_tool_notes_items RENAME TO p_tool_notes_entries");
    EXPECT_TRUE(renamed.ok()) << renamed.error().message;
}

TEST_F(PluginStoreTest, TextPrimaryKeysAndUniqueConstraintsGetTheirAutoIndex) {
    // SQLite names these indexes itself (sqlite_autoindex_<table>_N).
    auto r = exec(*notes, "CREATE TABLE p_tool_notes_tags(name TEXT PRIMARY KEY, slug TEXT UNIQUE)");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(exec(*notes, "INSERT INTO p_tool_notes_tags VALUES ('a', 'b')").ok());
    // …but an autoindex name cannot smuggle in an index on a kernel table.
    EXPECT_FALSE(exec(*notes, "CREATE INDEX sqlite_autoindex_tasks_9 ON tasks(id)").ok());
    expect_denied(exec(*notes, "CREATE INDEX p_tool_notes_x ON tasks(id)"), "tasks");
}

TEST_F(PluginStoreTest, KernelTablesAreDenied) {
    expect_denied(exec(*notes, "SELECT * FROM tasks"), "'tasks'");
    expect_denied(exec(*notes, "SELECT * FROM tasks"), "p_tool_notes_");
    expect_denied(exec(*notes, "DELETE FROM audit_log"), "'audit_log'");
    expect_denied(exec(*notes, "INSERT INTO p_tool_notes_items(body) SELECT key FROM secure_settings"),
                  "'secure_settings'");
    expect_denied(exec(*notes, "CREATE TRIGGER p_tool_notes_t AFTER INSERT ON tasks BEGIN SELECT 1; END"), "'tasks'");
    expect_denied(exec(*notes, "SELECT name FROM sqlite_schema"), "sqlite_");
}

TEST_F(PluginStoreTest, OtherPluginsPrefixIsDenied) {
    PluginStore other(*db, "tool.other");
    expect_denied(exec(other, "SELECT * FROM p_tool_notes_items"), "'p_tool_notes_items'");
    // A shorter id whose prefix covers tool.notes' prefix must not reach in either.
    PluginStore shorter(*db, "tool");
    expect_denied(exec(shorter, "SELECT * FROM p_tool_notes_items"), "another plugin");
    EXPECT_TRUE(exec(shorter, "CREATE TABLE p_tool_own(x)").ok());
}

TEST_F(PluginStoreTest, AttachPragmaTransactionsAndEscapesAreDenied) {
    expect_denied(exec(*notes, "ATTACH DATABASE '" + (dir.path() / "x.db").string() + "' AS x"), "ATTACH");
    expect_denied(exec(*notes, "PRAGMA journal_mode=DELETE"), "journal_mode");
    expect_denied(exec(*notes, "PRAGMA writable_schema=1"), "writable_schema");
    expect_denied(exec(*notes, "BEGIN"), "transactions");
    expect_denied(exec(*notes, "CREATE TEMP TABLE p_tool_notes_tmp(x)"), "temporary");
    expect_denied(exec(*notes, "CREATE VIEW p_tool_notes_v AS SELECT 1"), "views");
    ASSERT_TRUE(exec(*notes, "CREATE TABLE p_tool_notes_plain(x)").ok());
    expect_denied(exec(*notes, "ALTER TABLE p_tool_notes_plain RENAME TO sneaky"), "'sneaky'");
    expect_denied(exec(*notes, "UPDATE sqlite_sequence SET seq=0"), "'sqlite_sequence'");
    auto still = exec(*notes, "SELECT count(*) AS n FROM p_tool_notes_plain");
    ASSERT_TRUE(still.ok()) << "the rename must have been rolled back";
    EXPECT_FALSE(exec(*notes, "SELECT 1; SELECT 2").ok()) << "exec is one statement";
}

TEST_F(PluginStoreTest, MigrationsAreTrackedPerPlugin) {
    const Json v1 = {{"version", 1}, {"sql", "CREATE TABLE p_tool_notes_items(x)"}};
    const Json v2 = {{"version", 2}, {"sql", "ALTER TABLE p_tool_notes_items ADD COLUMN tag TEXT"}};
    auto again = notes->migrate({{"migrations", {v1}}}).get();
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE((*again)["applied"].empty());
    auto next = notes->migrate({{"migrations", {v1, v2}}}).get();
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_EQ((*next)["applied"], Json::array({2}));
    EXPECT_EQ(notes->version().value_or(-1), 2);

    auto older = notes->migrate({{"migrations", {v1}}}).get();
    ASSERT_FALSE(older.ok());
    EXPECT_EQ(older.error().code, "storage.schema_newer");

    PluginStore other(*db, "tool.other");
    EXPECT_EQ(other.version().value_or(-1), 0);
    auto bad = other.migrate({{"migrations", {{{"version", 1}, {"sql", "CREATE TABLE evil(x)"}}}}}).get();
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("p_tool_other_"), std::string::npos) << bad.error().message;
    EXPECT_EQ(other.version().value_or(-1), 0) << "a denied migration is not recorded";
}

}  // namespace
}  // namespace cowork::kernel::storage
