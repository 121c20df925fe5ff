#include "storage/plugin_authorizer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace cowork::kernel::storage {
namespace {

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

bool equals_nocase(std::string_view a, std::string_view b) { return a.size() == b.size() && starts_with_nocase(a, b); }

// SQLite asks about an INSERT/DELETE/UPDATE of the schema table while it
// runs the plugin's own CREATE/DROP; direct writes to it are refused by
// SQLite itself (writable_schema is a pragma, which we deny).
bool is_schema_table(std::string_view name) {
    return equals_nocase(name, "sqlite_master") || equals_nocase(name, "sqlite_schema");
}

bool is_temp_schema_table(std::string_view name) {
    return equals_nocase(name, "sqlite_temp_master") || equals_nocase(name, "sqlite_temp_schema");
}

// Tables SQLite itself touches while running a DDL statement.
bool is_bookkeeping_table(std::string_view name) {
    return is_schema_table(name) || is_temp_schema_table(name) || equals_nocase(name, "sqlite_sequence");
}

// Read-only pragmas that describe one of the plugin's own tables.
bool is_schema_pragma(std::string_view name) {
    static constexpr std::array<std::string_view, 6> kAllowed = {"table_info",  "table_xinfo", "index_list",
                                                                 "index_info",  "index_xinfo", "foreign_key_list"};
    return std::any_of(kAllowed.begin(), kAllowed.end(), [&](std::string_view p) { return equals_nocase(name, p); });
}

}  // namespace

PluginAuthorizer::PluginAuthorizer(std::string plugin_id, std::vector<std::string> foreign_prefixes)
    : plugin_id_(std::move(plugin_id)), prefix_(prefix_for(plugin_id_)), foreign_prefixes_(std::move(foreign_prefixes)) {}

std::string PluginAuthorizer::prefix_for(const std::string& plugin_id) {
    std::string prefix = "p_";
    for (char c : plugin_id) prefix.push_back(c == '.' || c == '-' ? '_' : c);
    return prefix + "_";
}

PluginAuthorizer::Installed::Installed(sqlite3* db, PluginAuthorizer& auth) : db_(db) {
    auth.denial_.clear();
    auth.begin_statement();
    sqlite3_set_authorizer(db_, &PluginAuthorizer::callback, &auth);
}

PluginAuthorizer::Installed::~Installed() { sqlite3_set_authorizer(db_, nullptr, nullptr); }

void PluginAuthorizer::begin_statement() { ddl_seen_ = false; }

int PluginAuthorizer::callback(void* self, int action, const char* a1, const char* a2, const char*, const char*) {
    return static_cast<PluginAuthorizer*>(self)->decide(action, a1, a2);
}

bool PluginAuthorizer::is_autoindex_of(const char* index, const char* table) {
    if (!index || !table) return false;
    const std::string expected = std::string("sqlite_autoindex_") + table + "_";
    return std::string_view(index).substr(0, expected.size()) == expected;
}

bool PluginAuthorizer::owns(const char* name) const {
    if (!name || !starts_with_nocase(name, prefix_)) return false;
    return std::none_of(foreign_prefixes_.begin(), foreign_prefixes_.end(),
                        [&](const std::string& other) { return starts_with_nocase(name, other); });
}

int PluginAuthorizer::deny(std::string why) {
    denial_ = "plugin '" + plugin_id_ + "': " + std::move(why);
    return SQLITE_DENY;
}

int PluginAuthorizer::require_owned(const char* name, const char* what) {
    if (owns(name)) return SQLITE_OK;
    const std::string n = name ? name : "";
    if (starts_with_nocase(n, prefix_))
        return deny(std::string(what) + " '" + n + "' is denied: that name belongs to another plugin's prefix");
    return deny(std::string(what) + " '" + n + "' is denied: plugin tables, indexes and triggers must be named '" +
                prefix_ + "…'");
}

int PluginAuthorizer::decide(int action, const char* a1, const char* a2) {
    switch (action) {
        case SQLITE_SELECT:
        case SQLITE_RECURSIVE: return SQLITE_OK;
        case SQLITE_FUNCTION:
            if (a2 && equals_nocase(a2, "load_extension")) return deny("load_extension() is not allowed");
            return SQLITE_OK;

        case SQLITE_READ:
            // SQLite's own bookkeeping for the plugin's DDL (CREATE INDEX,
            // ALTER …) reads the schema and sequence tables: never kernel rows.
            if (ddl_seen_ && a1 && is_bookkeeping_table(a1)) return SQLITE_OK;
            return require_owned(a1, "reading table");
        case SQLITE_INSERT:
        case SQLITE_UPDATE:
        case SQLITE_DELETE:
            if (a1 && is_schema_table(a1)) return SQLITE_OK;
            // ALTER/DROP of a plugin table fixes up sqlite_sequence and temp
            // triggers; a plain statement may not touch those tables.
            if (ddl_seen_ && a1 && is_bookkeeping_table(a1)) return SQLITE_OK;
            if (a1 && is_temp_schema_table(a1))
                return deny("temporary objects are not allowed (the connection is shared); create " + prefix_ +
                            "… tables");
            return require_owned(a1, "writing table");

        case SQLITE_CREATE_TABLE: ddl_seen_ = true; return require_owned(a1, "creating table");
        case SQLITE_DROP_TABLE: ddl_seen_ = true; return require_owned(a1, "dropping table");
        case SQLITE_CREATE_INDEX:
        case SQLITE_DROP_INDEX:
        case SQLITE_CREATE_TRIGGER:
        case SQLITE_DROP_TRIGGER:
            ddl_seen_ = true;
            // PRIMARY KEY / UNIQUE constraints make SQLite create
            // "sqlite_autoindex_<table>_N" itself: it belongs to the table.
            if (is_autoindex_of(a1, a2)) return require_owned(a2, "table");
            if (int rc = require_owned(a1, action == SQLITE_CREATE_INDEX || action == SQLITE_DROP_INDEX ? "index" : "trigger");
                rc != SQLITE_OK)
                return rc;
            return require_owned(a2, "table");
        case SQLITE_ALTER_TABLE:
            saw_alter_ = ddl_seen_ = true;
            return require_owned(a2, "altering table");
        case SQLITE_REINDEX:
        case SQLITE_ANALYZE: return require_owned(a1, "analyzing/reindexing");

        case SQLITE_PRAGMA:
            if (a1 && is_schema_pragma(a1) && a2) return require_owned(a2, "pragma on table");
            return deny(std::string("PRAGMA ") + (a1 ? a1 : "") + " is not allowed; only table_info-style pragmas on " +
                        prefix_ + "… tables are");
        case SQLITE_ATTACH:
        case SQLITE_DETACH: return deny("ATTACH/DETACH is not allowed; plugins live in the kernel database");
        case SQLITE_TRANSACTION:
        case SQLITE_SAVEPOINT:
            return deny("transactions are managed by the kernel; each exec and each migration is already atomic");
        case SQLITE_CREATE_TEMP_TABLE:
        case SQLITE_CREATE_TEMP_INDEX:
        case SQLITE_CREATE_TEMP_TRIGGER:
        case SQLITE_CREATE_TEMP_VIEW:
        case SQLITE_DROP_TEMP_TABLE:
        case SQLITE_DROP_TEMP_INDEX:
        case SQLITE_DROP_TEMP_TRIGGER:
        case SQLITE_DROP_TEMP_VIEW:
            return deny("temporary objects are not allowed (the connection is shared); create " + prefix_ + "… tables");
        case SQLITE_CREATE_VIEW:
        case SQLITE_DROP_VIEW: return deny("views are not allowed; query " + prefix_ + "… tables directly");
        case SQLITE_CREATE_VTABLE:
        case SQLITE_DROP_VTABLE: return deny("virtual tables are not allowed");
        default: return deny("SQL operation " + std::to_string(action) + " is not allowed");
    }
}

}  // namespace cowork::kernel::storage
