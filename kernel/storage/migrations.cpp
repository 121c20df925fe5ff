#include "storage/migrations.hpp"

#include "core/log.hpp"
#include "storage/clock.hpp"
#include "storage/sqlite.hpp"

#include <algorithm>

namespace cowork::kernel::storage {
namespace {

Status run_plain(sqlite3* db, const Migration& migration) { return exec_script(db, migration.sql); }

Error newer_schema_error(const MigrationSet& set, int in_database) {
    return make_error("storage.schema_newer",
                      "the database has '" + set.component + "' schema version " + std::to_string(in_database) +
                          " but this build knows only versions 1.." + std::to_string(set.latest_version()) +
                          "; run a newer CoWork or restore a backup made by this version",
                      {{"component", set.component},
                       {"database_version", in_database},
                       {"code_version", set.latest_version()}});
}

Result<bool> is_applied(sqlite3* db, const std::string& component, int version) {
    auto row = query_one(db, "SELECT 1 FROM schema_migrations WHERE component=?1 AND version=?2",
                         Json::array({component, version}));
    if (!row) return std::move(row).error();
    return !row->is_null();
}

// One migration, in its own transaction. The "already applied?" check sits
// inside the transaction so a second process racing us sees our row.
Result<bool> apply_one(sqlite3* db, const std::string& component, const Migration& m, const MigrationRunner& run) {
    if (auto s = exec_script(db, "BEGIN IMMEDIATE"); !s) return std::move(s).error();
    auto fail = [&](Error e) -> Result<bool> {
        exec_script(db, "ROLLBACK").ok();
        e.message = "migration " + component + "/" + std::to_string(m.version) + " (" + m.name +
                    ") failed: " + e.message;
        e.details["component"] = component;
        e.details["version"] = m.version;
        return e;
    };
    auto applied = is_applied(db, component, m.version);
    if (!applied) return fail(std::move(applied).error());
    if (*applied) {
        exec_script(db, "COMMIT").ok();
        return false;
    }
    if (auto s = run(db, m); !s) return fail(std::move(s).error());
    auto recorded = execute(db, "INSERT INTO schema_migrations(component, version, name, applied_at) VALUES(?1,?2,?3,?4)",
                            Json::array({component, m.version, m.name, now_ms()}));
    if (!recorded) return fail(std::move(recorded).error());
    if (auto s = exec_script(db, "COMMIT"); !s) return fail(std::move(s).error());
    return true;
}

}  // namespace

Status validate_migration_set(const MigrationSet& set) {
    if (set.component.empty()) return make_error("storage.invalid", "a migration set needs a component name");
    int previous = 0;
    for (const auto& m : set.migrations) {
        if (m.version <= previous)
            return make_error("storage.invalid", "migrations of '" + set.component +
                                                     "' must have positive, strictly increasing versions; " +
                                                     std::to_string(m.version) + " follows " +
                                                     std::to_string(previous));
        previous = m.version;
    }
    return ok_status();
}

Status Migrations::add(MigrationSet set) {
    if (auto s = validate_migration_set(set); !s) return s;
    const bool duplicate = std::any_of(sets_.begin(), sets_.end(),
                                       [&](const MigrationSet& s) { return s.component == set.component; });
    if (duplicate)
        return make_error("storage.invalid", "migrations for '" + set.component + "' are already registered");
    sets_.push_back(std::move(set));
    return ok_status();
}

// Outside a transaction it runs inside BEGIN IMMEDIATE: a bare CREATE TABLE
// IF NOT EXISTS first reads the schema and then upgrades to a write; if
// another process created the table in between, SQLite answers
// SQLITE_BUSY_SNAPSHOT at once instead of waiting. (Inside a caller's
// transaction the caller already holds the write lock.)
Status ensure_migrations_table(sqlite3* db) {
    const char* create =
        "CREATE TABLE IF NOT EXISTS schema_migrations("
        " component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
        " applied_at INTEGER NOT NULL, PRIMARY KEY(component, version)) WITHOUT ROWID";
    if (!sqlite3_get_autocommit(db)) return exec_script(db, create);
    if (auto s = exec_script(db, "BEGIN IMMEDIATE"); !s) return s;
    auto created = exec_script(db, create);
    if (!created) {
        exec_script(db, "ROLLBACK").ok();
        return created;
    }
    return exec_script(db, "COMMIT");
}

Result<int> applied_version(sqlite3* db, const std::string& component) {
    auto row = query_one(db, "SELECT COALESCE(MAX(version),0) AS v FROM schema_migrations WHERE component=?1",
                         Json::array({component}));
    if (!row) return std::move(row).error();
    return row->at("v").get<int>();
}

Result<std::vector<int>> apply_migration_set(sqlite3* db, const MigrationSet& set, const MigrationRunner& run) {
    if (auto s = validate_migration_set(set); !s) return std::move(s).error();
    if (auto s = ensure_migrations_table(db); !s) return std::move(s).error();
    auto current = applied_version(db, set.component);
    if (!current) return std::move(current).error();
    if (*current > set.latest_version()) return newer_schema_error(set, *current);

    std::vector<int> applied;
    for (const auto& m : set.migrations) {
        if (m.version <= *current) continue;
        auto done = apply_one(db, set.component, m, run ? run : MigrationRunner(run_plain));
        if (!done) return std::move(done).error();
        if (*done) {
            applied.push_back(m.version);
            logger()->info("storage: applied migration {}/{} ({})", set.component, m.version, m.name);
        }
    }
    return applied;
}

}  // namespace cowork::kernel::storage
