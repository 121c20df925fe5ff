#include "storage/sqlite.hpp"

#include "core/redactor.hpp"

namespace cowork::kernel::storage {

Error sqlite_error(sqlite3* db, std::string_view what) {
    const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
    const std::string detail = db ? sqlite3_errmsg(db) : "no connection";
    return make_error("storage.sqlite",
                      Redactor::instance().redact(std::string(what) + ": " + detail),
                      {{"sqlite_code", code}});
}

namespace {
thread_local StatementCache* t_cache = nullptr;
}  // namespace

StatementCache::StatementCache(sqlite3* db) : db_(db), previous_(t_cache) { t_cache = this; }

StatementCache::~StatementCache() {
    t_cache = previous_;
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
}

StatementCache::Suspend::Suspend() {
    if (t_cache) ++t_cache->suspended_;
}

StatementCache::Suspend::~Suspend() {
    if (t_cache) --t_cache->suspended_;
}

StatementCache* StatementCache::for_connection(sqlite3* db) {
    return (t_cache && t_cache->db_ == db && t_cache->suspended_ == 0) ? t_cache : nullptr;
}

// A cached statement for `sql`, or nullptr (not cacheable, already in use
// by an outer caller, or failed to prepare: the caller prepares its own and
// reports the error).
sqlite3_stmt* StatementCache::acquire(std::string_view sql) {
    const std::string key(sql);
    auto it = statements_.find(key);
    if (it == statements_.end()) {
        sqlite3_stmt* stmt = nullptr;
        const char* tail = nullptr;
        if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, &tail) !=
                SQLITE_OK ||
            !stmt || (tail && *tail && std::string_view(tail).find_first_not_of(" \t\r\n;") != std::string_view::npos)) {
            sqlite3_finalize(stmt);
            return nullptr;
        }
        it = statements_.emplace(key, stmt).first;
    }
    if (!busy_.insert(it->second).second) return nullptr;
    return it->second;
}

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql) {
    if (StatementCache* cache = StatementCache::for_connection(db))
        if (sqlite3_stmt* cached = cache->acquire(sql)) return Statement(db, cached, cache);
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, &tail) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return sqlite_error(db, "could not prepare statement");
    }
    if (!stmt) return make_error("storage.invalid", "the SQL text contains no statement");
    return Statement(db, stmt);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_), cache_(other.cache_) {
    other.stmt_ = nullptr;
    other.cache_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        dispose();
        db_ = other.db_;
        stmt_ = other.stmt_;
        cache_ = other.cache_;
        other.stmt_ = nullptr;
        other.cache_ = nullptr;
    }
    return *this;
}

Statement::~Statement() { dispose(); }

void Statement::dispose() noexcept {
    if (!stmt_) return;
    if (cache_) {
        // Back to the cache, clean: no row in progress, no old bindings.
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        cache_->release(stmt_);
    } else {
        sqlite3_finalize(stmt_);
    }
    stmt_ = nullptr;
}

Status Statement::bind(int index, const Json& value) {
    int rc = SQLITE_OK;
    switch (value.type()) {
        case Json::value_t::null:
        case Json::value_t::discarded: rc = sqlite3_bind_null(stmt_, index); break;
        case Json::value_t::boolean: rc = sqlite3_bind_int(stmt_, index, value.get<bool>() ? 1 : 0); break;
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
            rc = sqlite3_bind_int64(stmt_, index, value.get<std::int64_t>());
            break;
        case Json::value_t::number_float: rc = sqlite3_bind_double(stmt_, index, value.get<double>()); break;
        case Json::value_t::string: {
            const auto& s = value.get_ref<const std::string&>();
            rc = sqlite3_bind_text64(stmt_, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            break;
        }
        case Json::value_t::binary: {
            const auto& b = value.get_binary();
            rc = sqlite3_bind_blob64(stmt_, index, b.data(), b.size(), SQLITE_TRANSIENT);
            break;
        }
        case Json::value_t::object:
        case Json::value_t::array: {
            const std::string s = value.dump();
            rc = sqlite3_bind_text64(stmt_, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            break;
        }
    }
    if (rc != SQLITE_OK) return sqlite_error(db_, "could not bind parameter " + std::to_string(index));
    return ok_status();
}

// Named parameters keep their prefix in SQLite; callers should not have to.
static int named_index(sqlite3_stmt* stmt, const std::string& key) {
    if (!key.empty() && (key[0] == ':' || key[0] == '@' || key[0] == '$'))
        return sqlite3_bind_parameter_index(stmt, key.c_str());
    for (const char prefix : {':', '@', '$'}) {
        if (int i = sqlite3_bind_parameter_index(stmt, (std::string(1, prefix) + key).c_str())) return i;
    }
    return 0;
}

Status Statement::bind_all(const Json& params) {
    if (params.is_null()) return ok_status();
    if (params.is_array()) {
        const int expected = sqlite3_bind_parameter_count(stmt_);
        if (static_cast<int>(params.size()) > expected)
            return make_error("storage.invalid", "the statement takes " + std::to_string(expected) +
                                                     " parameters but " + std::to_string(params.size()) +
                                                     " were given");
        for (size_t i = 0; i < params.size(); ++i)
            if (auto s = bind(static_cast<int>(i) + 1, params[i]); !s) return s;
        return ok_status();
    }
    if (params.is_object()) {
        for (const auto& [key, value] : params.items()) {
            const int index = named_index(stmt_, key);
            if (index == 0)
                return make_error("storage.invalid", "the statement has no parameter named '" + key + "'");
            if (auto s = bind(index, value); !s) return s;
        }
        return ok_status();
    }
    return make_error("storage.invalid", "params must be a JSON array or object");
}

Result<bool> Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(db_, "statement failed");
}

Status Statement::reset() {
    sqlite3_clear_bindings(stmt_);
    if (sqlite3_reset(stmt_) != SQLITE_OK) return sqlite_error(db_, "could not reset statement");
    return ok_status();
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

Json Statement::column(int index) const {
    switch (sqlite3_column_type(stmt_, index)) {
        case SQLITE_INTEGER: return sqlite3_column_int64(stmt_, index);
        case SQLITE_FLOAT: return sqlite3_column_double(stmt_, index);
        case SQLITE_TEXT: return text(index);
        case SQLITE_BLOB: return Json::binary(blob(index));
        default: return nullptr;
    }
}

Json Statement::row() const {
    Json out = Json::object();
    for (int i = 0; i < column_count(); ++i) out[sqlite3_column_name(stmt_, i)] = column(i);
    return out;
}

bool Statement::is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

std::int64_t Statement::int64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::text(int index) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, index))) : std::string();
}

std::vector<std::uint8_t> Statement::blob(int index) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, index));
    return p ? std::vector<std::uint8_t>(p, p + sqlite3_column_bytes(stmt_, index)) : std::vector<std::uint8_t>();
}

Status exec_script(sqlite3* db, std::string_view sql) {
    const std::string text(sql);  // sqlite3_exec needs a terminated string
    char* message = nullptr;
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        sqlite3_free(message);
        return sqlite_error(db, "SQL script failed");
    }
    return ok_status();
}

Result<Json> query(sqlite3* db, std::string_view sql, const Json& params) {
    auto stmt = Statement::prepare(db, sql);
    if (!stmt) return std::move(stmt).error();
    if (auto s = stmt->bind_all(params); !s) return std::move(s).error();
    Json rows = Json::array();
    for (;;) {
        auto more = stmt->step();
        if (!more) return std::move(more).error();
        if (!*more) return rows;
        rows.push_back(stmt->row());
    }
}

Result<Json> query_one(sqlite3* db, std::string_view sql, const Json& params) {
    auto rows = query(db, sql, params);
    if (!rows) return rows;
    return rows->empty() ? Json(nullptr) : (*rows)[0];
}

Result<std::int64_t> execute(sqlite3* db, std::string_view sql, const Json& params) {
    auto stmt = Statement::prepare(db, sql);
    if (!stmt) return std::move(stmt).error();
    if (auto s = stmt->bind_all(params); !s) return std::move(s).error();
    for (;;) {
        auto more = stmt->step();
        if (!more) return std::move(more).error();
        if (!*more) break;
    }
    return static_cast<std::int64_t>(sqlite3_changes64(db));
}

Json json_column(const Json& value) { return value.is_null() ? Json(nullptr) : Json(value.dump()); }

Json parse_json_column(const Json& value) {
    if (!value.is_string()) return value;
    Json parsed = Json::parse(value.get_ref<const std::string&>(), nullptr, /*allow_exceptions=*/false);
    return parsed.is_discarded() ? value : parsed;
}

}  // namespace cowork::kernel::storage
