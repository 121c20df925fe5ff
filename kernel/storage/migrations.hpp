// kernel/storage/migrations.hpp — numbered, transactional schema migrations.
//
// THE RULE for adding schema:
//  * Each component owns one named MigrationSet ("kernel", "scheduler",
//    "channels", …) with its own version sequence 1, 2, 3 … The versions
//    of different components never interact.
//  * A released migration is never edited, renumbered or removed: append a
//    new one (STYLE habit 6, append-only tables). Fixes are new versions.
//  * Sets apply in registration order, "kernel" first; a set may reference
//    tables only of sets registered before it.
//  * Each migration runs in its own BEGIN IMMEDIATE … COMMIT together with
//    its row in schema_migrations(component, version, name, applied_at), so
//    a crash leaves either all of a migration or none of it, and two
//    processes opening the same file cannot both apply it.
//  * A database carrying a version newer than this build knows is refused:
//    old code must not write into a schema it does not understand.
// Plugins' tables go through PluginStore, tracked as component "plugin:<id>".
#pragma once

#include "core/result.hpp"

#include <sqlite3.h>

#include <functional>
#include <string>
#include <vector>

namespace cowork::kernel::storage {

struct Migration {
    int version = 0;   // > 0, strictly increasing within its set
    std::string name;  // short, for people reading schema_migrations
    std::string sql;   // one or more statements; no BEGIN/COMMIT inside
};

struct MigrationSet {
    std::string component;
    std::vector<Migration> migrations;

    int latest_version() const { return migrations.empty() ? 0 : migrations.back().version; }
};

// The sets a Database applies when it opens, in order.
class Migrations {
public:
    // Refuses an empty component name, a duplicate component, or versions
    // that are not positive and strictly increasing.
    Status add(MigrationSet set);
    const std::vector<MigrationSet>& sets() const { return sets_; }

private:
    std::vector<MigrationSet> sets_;
};

Status validate_migration_set(const MigrationSet& set);

// Creates schema_migrations if missing.
Status ensure_migrations_table(sqlite3* db);

// Highest version of `component` recorded in the database (0: none).
Result<int> applied_version(sqlite3* db, const std::string& component);

// How one migration's SQL is executed; PluginStore wraps it in its authorizer.
using MigrationRunner = std::function<Status(sqlite3* db, const Migration& migration)>;

// Applies the pending migrations of `set` on `db`, which must have no open
// transaction. Returns the versions applied now (empty: already current).
// Fails with "storage.schema_newer" when the database is ahead of `set`.
Result<std::vector<int>> apply_migration_set(sqlite3* db, const MigrationSet& set,
                                             const MigrationRunner& run = {});

}  // namespace cowork::kernel::storage
