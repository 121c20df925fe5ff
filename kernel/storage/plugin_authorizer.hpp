// kernel/storage/plugin_authorizer.hpp — what a plugin's SQL may touch.
//
// Installed with sqlite3_set_authorizer while (and only while) one plugin's
// statements are prepared and run on the write connection. SQLite asks it
// about every table, index, trigger, pragma and transaction a statement
// uses, at prepare time, including through triggers and views. It allows:
//  * reading/writing/creating/dropping/altering tables, indexes and
//    triggers whose names start with the plugin's prefix
//    "p_<id with '.' and '-' replaced by '_'>_" (case-insensitive, as SQLite
//    names are), except names under a longer prefix owned by another plugin
//    (plugin "a" must not reach into "p_a_b_…" of plugin "a.b");
//  * SELECT, functions (not load_extension), recursive CTEs;
//  * a few read-only schema pragmas about its own tables.
// It denies ATTACH/DETACH, other pragmas, transactions and savepoints (the
// writer owns those), temp objects and views, virtual tables, and any table
// without the prefix — every kernel table included.
#pragma once

#include "storage/sqlite.hpp"

#include <sqlite3.h>

#include <string>
#include <vector>

namespace cowork::kernel::storage {

class PluginAuthorizer {
public:
    // `foreign_prefixes`: other plugins' prefixes that start with ours.
    PluginAuthorizer(std::string plugin_id, std::vector<std::string> foreign_prefixes);

    static std::string prefix_for(const std::string& plugin_id);
    const std::string& prefix() const { return prefix_; }

    // Installs the authorizer on `db` until the guard goes out of scope.
    class Installed {
    public:
        Installed(sqlite3* db, PluginAuthorizer& auth);
        Installed(const Installed&) = delete;
        Installed& operator=(const Installed&) = delete;
        ~Installed();

    private:
        sqlite3* db_;
        StatementCache::Suspend no_cached_statements_;  // see StatementCache::Suspend
    };

    // Call before preparing each statement: DDL allowances (SQLite's own
    // bookkeeping reads/writes of sqlite_schema and sqlite_sequence) last
    // for one statement only.
    void begin_statement();

    // Why the last statement was refused, naming the object; empty if none.
    const std::string& denial() const { return denial_; }
    // True once a statement ran ALTER TABLE (RENAME may move a table out
    // of the prefix, which the authorizer cannot see; the caller checks).
    bool saw_alter() const { return saw_alter_; }

private:
    static int callback(void* self, int action, const char* a1, const char* a2, const char* db_name,
                        const char* inner);
    int decide(int action, const char* a1, const char* a2);
    static bool is_autoindex_of(const char* index, const char* table);
    bool owns(const char* name) const;
    int require_owned(const char* name, const char* what);
    int deny(std::string why);

    std::string plugin_id_;
    std::string prefix_;
    std::vector<std::string> foreign_prefixes_;
    std::string denial_;
    bool saw_alter_ = false;
    bool ddl_seen_ = false;  // in the current statement (see begin_statement)
};

}  // namespace cowork::kernel::storage
