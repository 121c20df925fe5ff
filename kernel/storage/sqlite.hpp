// kernel/storage/sqlite.hpp — thin, owning helpers over the SQLite C API.
//
// Everything here works on a raw sqlite3* handed in by the caller; it never
// opens, locks or closes connections (database.hpp does that). Values cross
// in and out as JSON so repositories and the plugin store share one mapping:
//   JSON null/bool/int/float/string <-> NULL/INTEGER/REAL/TEXT
//   JSON binary                     <-> BLOB
//   JSON object/array               ->  TEXT (serialized; JSON columns)
#pragma once

#include "core/result.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cowork::kernel::storage {

// A failure built from the connection's last error; the message passes
// through the Redactor because SQLite may echo parts of user SQL.
Error sqlite_error(sqlite3* db, std::string_view what);

class StatementCache;

// One prepared statement, finalized on destruction (or, when it came from
// the thread's StatementCache, reset and handed back). Move-only.
class Statement {
public:
    static Result<Statement> prepare(sqlite3* db, std::string_view sql);

    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // 1-based parameter index, as in sqlite3_bind_*.
    Status bind(int index, const Json& value);
    // An array binds positionally (?1, ?2 …); an object binds by name, with
    // keys given with or without their ':' / '@' / '$' prefix.
    Status bind_all(const Json& params);

    // true: a row is ready; false: the statement finished.
    Result<bool> step();
    Status reset();

    int column_count() const;
    Json column(int index) const;
    Json row() const;  // {column name: value}
    bool is_null(int index) const;
    std::int64_t int64(int index) const;
    std::string text(int index) const;
    std::vector<std::uint8_t> blob(int index) const;

    sqlite3_stmt* get() const { return stmt_; }

private:
    Statement(sqlite3* db, sqlite3_stmt* stmt, StatementCache* cache = nullptr) : db_(db), stmt_(stmt), cache_(cache) {}
    void dispose() noexcept;
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    StatementCache* cache_ = nullptr;
};

// Prepared statements kept for reuse on one connection by the one thread
// that owns it (the storage writer): preparing is a large part of a small
// write's cost. While a cache is alive, Statement::prepare on that thread
// for that connection reuses statements by SQL text. Scoped to a thread and
// a connection so a statement can never outlive or cross its connection;
// finalized when the cache is destroyed (before the connection closes).
class StatementCache {
public:
    explicit StatementCache(sqlite3* db);
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // No reuse while a plugin's authorizer is installed: SQLite consults the
    // authorizer when it prepares, so a statement prepared for the kernel
    // must never be handed to plugin SQL with the same text.
    class Suspend {
    public:
        Suspend();
        ~Suspend();
        Suspend(const Suspend&) = delete;
        Suspend& operator=(const Suspend&) = delete;
    };

    size_t size() const { return statements_.size(); }

private:
    friend class Statement;
    static StatementCache* for_connection(sqlite3* db);
    sqlite3_stmt* acquire(std::string_view sql);
    void release(sqlite3_stmt* stmt) { busy_.erase(stmt); }

    sqlite3* db_;
    StatementCache* previous_;
    int suspended_ = 0;
    std::unordered_map<std::string, sqlite3_stmt*> statements_;
    std::unordered_set<sqlite3_stmt*> busy_;
};

// Runs one or more parameterless statements (schema scripts, pragmas).
Status exec_script(sqlite3* db, std::string_view sql);

// Runs one statement with `params`; returns every row as a JSON object.
Result<Json> query(sqlite3* db, std::string_view sql, const Json& params = Json::array());
// Like query() but returns only the first row, or null when there is none.
Result<Json> query_one(sqlite3* db, std::string_view sql, const Json& params = Json::array());
// Runs one statement with `params`, discarding rows; returns sqlite3_changes().
Result<std::int64_t> execute(sqlite3* db, std::string_view sql, const Json& params = Json::array());

// A value for a JSON column: null stays NULL, anything else is stored as its
// serialized text (so a JSON string "42" does not come back as the number).
Json json_column(const Json& value);
// A JSON column read back: parse the TEXT, keep other values as they are.
Json parse_json_column(const Json& value);

}  // namespace cowork::kernel::storage
