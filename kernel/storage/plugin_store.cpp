#include "storage/plugin_store.hpp"

#include "storage/migrations.hpp"
#include "storage/plugin_authorizer.hpp"
#include "storage/sqlite.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

namespace cowork::kernel::storage {
namespace {

std::string component_for(const std::string& plugin_id) { return "plugin:" + plugin_id; }

template <class T>
std::future<Result<T>> ready(Result<T> value) {
    std::promise<Result<T>> p;
    p.set_value(std::move(value));
    return p.get_future();
}

bool valid_plugin_id(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    });
}

// Ids of the other plugins with tables, from their migration bookkeeping.
Result<std::vector<std::string>> other_plugins(sqlite3* db, const std::string& plugin_id) {
    if (auto s = ensure_migrations_table(db); !s) return std::move(s).error();
    auto rows = query(db, "SELECT DISTINCT substr(component, 8) AS id FROM schema_migrations"
                          " WHERE component LIKE 'plugin:%' AND component<>?",
                      Json::array({component_for(plugin_id)}));
    if (!rows) return std::move(rows).error();
    std::vector<std::string> ids;
    for (const auto& row : *rows) ids.push_back(row.at("id").get<std::string>());
    return ids;
}

// The authorizer for `plugin_id`, fenced off from longer prefixes of others.
// Also refuses an id whose prefix equals another plugin's ("a.b" vs "a_b").
Result<PluginAuthorizer> authorizer_for(sqlite3* db, const std::string& plugin_id) {
    auto others = other_plugins(db, plugin_id);
    if (!others) return std::move(others).error();
    const std::string mine = PluginAuthorizer::prefix_for(plugin_id);
    std::vector<std::string> foreign;
    for (const auto& other : *others) {
        const std::string theirs = PluginAuthorizer::prefix_for(other);
        if (theirs == mine)
            return make_error("plugin_store.prefix_conflict", "plugin '" + plugin_id + "' and plugin '" + other +
                                                                  "' map to the same table prefix '" + mine +
                                                                  "'; rename one of them");
        if (theirs.size() > mine.size() && theirs.compare(0, mine.size(), mine) == 0) foreign.push_back(theirs);
    }
    return PluginAuthorizer(plugin_id, std::move(foreign));
}

Result<std::set<std::string>> schema_object_names(sqlite3* db) {
    auto rows = query(db, "SELECT name FROM sqlite_schema");
    if (!rows) return std::move(rows).error();
    std::set<std::string> names;
    for (const auto& row : *rows) names.insert(row.at("name").get<std::string>());
    return names;
}

// ALTER TABLE … RENAME TO is authorized by the old name only; make sure no
// object of the plugin was renamed out of its prefix.
Status check_no_escape(sqlite3* db, const PluginAuthorizer& auth, const std::set<std::string>& before) {
    auto after = schema_object_names(db);
    if (!after) return std::move(after).error();
    for (const auto& name : *after) {
        if (before.count(name)) continue;
        if (name.size() < auth.prefix().size() || name.compare(0, auth.prefix().size(), auth.prefix()) != 0)
            return make_error("plugin_store.denied", "renaming to '" + name + "' is denied: plugin tables must be named '" +
                                                         auth.prefix() + "…'");
    }
    return ok_status();
}

Error denied_or(sqlite3* db, const PluginAuthorizer& auth, std::string_view what) {
    if (!auth.denial().empty()) return make_error("plugin_store.denied", auth.denial());
    return sqlite_error(db, what);
}

struct StatementFinalizer {
    void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using OwnedStatement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// Runs `sql` (one or more statements) under the authorizer, one statement
// at a time so DDL allowances never carry over to the next statement.
Status run_script(sqlite3* db, PluginAuthorizer& auth, const std::string& sql) {
    auto before = schema_object_names(db);
    if (!before) return std::move(before).error();
    {
        PluginAuthorizer::Installed guard(db, auth);
        for (const char* cursor = sql.c_str(); *cursor;) {
            auth.begin_statement();
            sqlite3_stmt* raw = nullptr;
            const char* tail = nullptr;
            const int rc = sqlite3_prepare_v2(db, cursor, -1, &raw, &tail);
            OwnedStatement stmt(raw);
            if (rc != SQLITE_OK) return denied_or(db, auth, "plugin migration SQL failed");
            cursor = tail;
            if (!stmt) continue;  // only whitespace or a comment was left
            int step = SQLITE_ROW;
            while (step == SQLITE_ROW) step = sqlite3_step(stmt.get());
            if (step != SQLITE_DONE) return denied_or(db, auth, "plugin migration SQL failed");
        }
    }
    return auth.saw_alter() ? check_no_escape(db, auth, *before) : ok_status();
}

bool only_whitespace(const char* text) {
    for (; *text; ++text)
        if (!std::isspace(static_cast<unsigned char>(*text)) && *text != ';') return false;
    return true;
}

// One statement under the authorizer, collecting rows.
Result<Json> run_statement(sqlite3* db, PluginAuthorizer& auth, const std::string& sql, const Json& params) {
    auto before = schema_object_names(db);
    if (!before) return std::move(before).error();
    Json out{{"rows", Json::array()}, {"changes", 0}};
    {
        PluginAuthorizer::Installed guard(db, auth);
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, &tail);
        sqlite3_finalize(raw);  // re-prepared through Statement below; this one only checks the tail
        if (rc != SQLITE_OK) return denied_or(db, auth, "could not prepare plugin SQL");
        if (!raw) return make_error("plugin_store.invalid", "exec needs one SQL statement; the text has none");
        if (tail && !only_whitespace(tail))
            return make_error("plugin_store.invalid", "exec runs exactly one statement; use migrate for scripts");
        auto stmt = Statement::prepare(db, sql);
        if (!stmt) return denied_or(db, auth, "could not prepare plugin SQL");
        if (auto s = stmt->bind_all(params); !s) return std::move(s).error();
        for (;;) {
            auto more = stmt->step();
            if (!more) return denied_or(db, auth, "plugin SQL failed");
            if (!*more) break;
            if (out["rows"].size() >= PluginStore::kMaxRows)
                return make_error("plugin_store.too_many_rows", "the query returned more than " +
                                                                    std::to_string(PluginStore::kMaxRows) +
                                                                    " rows; add a LIMIT and page");
            out["rows"].push_back(stmt->row());
        }
        if (!sqlite3_stmt_readonly(stmt->get())) out["changes"] = sqlite3_changes64(db);
    }
    if (auth.saw_alter())
        if (auto s = check_no_escape(db, auth, *before); !s) return std::move(s).error();
    return out;
}

Result<MigrationSet> parse_migrations(const std::string& plugin_id, const Json& request) {
    if (!request.is_object() || !request.contains("migrations") || !request["migrations"].is_array())
        return make_error("plugin_store.invalid", "migrate expects {\"migrations\":[{\"version\":1,\"sql\":\"…\"}]}");
    MigrationSet set{component_for(plugin_id), {}};
    for (const auto& m : request["migrations"]) {
        if (!m.is_object() || !m.contains("version") || !m["version"].is_number_integer() || !m.contains("sql") ||
            !m["sql"].is_string())
            return make_error("plugin_store.invalid", "each migration needs an integer \"version\" and a string \"sql\"");
        set.migrations.push_back(Migration{m["version"].get<int>(), m.value("name", "plugin migration"),
                                           m["sql"].get<std::string>()});
    }
    if (auto s = validate_migration_set(set); !s) return std::move(s).error();
    return set;
}

}  // namespace

PluginStore::PluginStore(Database& db, std::string plugin_id)
    : db_(db), plugin_id_(std::move(plugin_id)), prefix_(PluginAuthorizer::prefix_for(plugin_id_)) {}

std::future<Result<Json>> PluginStore::migrate(const Json& request) {
    if (!valid_plugin_id(plugin_id_))
        return ready<Json>(make_error("plugin_store.invalid", "plugin id '" + plugin_id_ + "' has invalid characters"));
    auto set = parse_migrations(plugin_id_, request);
    if (!set) return ready<Json>(std::move(set).error());
    return db_.write_standalone<Json>([id = plugin_id_, set = std::move(*set)](sqlite3* db) -> Result<Json> {
        auto auth = authorizer_for(db, id);
        if (!auth) return std::move(auth).error();
        auto applied = apply_migration_set(db, set, [&](sqlite3* conn, const Migration& m) {
            return run_script(conn, *auth, m.sql);
        });
        if (!applied) return std::move(applied).error();
        return Json{{"applied", *applied}, {"version", set.latest_version()}};
    });
}

std::future<Result<Json>> PluginStore::exec(const Json& request) {
    if (!valid_plugin_id(plugin_id_))
        return ready<Json>(make_error("plugin_store.invalid", "plugin id '" + plugin_id_ + "' has invalid characters"));
    if (!request.is_object() || !request.contains("sql") || !request["sql"].is_string())
        return ready<Json>(make_error("plugin_store.invalid", "exec expects {\"sql\":\"…\",\"params\":[…]}"));
    return db_.write<Json>([id = plugin_id_, sql = request["sql"].get<std::string>(),
                            params = request.value("params", Json::array())](sqlite3* db) -> Result<Json> {
        auto auth = authorizer_for(db, id);
        if (!auth) return std::move(auth).error();
        return run_statement(db, *auth, sql, params);
    });
}

Result<int> PluginStore::version() const {
    return db_.read<int>([&](sqlite3* db) -> Result<int> { return applied_version(db, component_for(plugin_id_)); });
}

}  // namespace cowork::kernel::storage
