#include "storage/connection.hpp"

#include "storage/sqlite.hpp"

#include <string>
#include <thread>

namespace cowork::kernel::storage {
namespace {

bool is_busy(const Error& e) {
    return (e.details.value("sqlite_code", 0) & 0xff) == SQLITE_BUSY;
}

// Switching a fresh database to WAL needs an exclusive lock. When two
// processes open a brand-new file together, SQLite breaks the lock deadlock
// by failing one of them with SQLITE_BUSY without consulting the busy
// handler, so this retries for as long as the busy timeout allows.
Result<Json> switch_to_wal(sqlite3* db, std::chrono::milliseconds busy_timeout) {
    const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
    for (;;) {
        auto row = query_one(db, "PRAGMA journal_mode=WAL");
        if (row || !is_busy(row.error()) || std::chrono::steady_clock::now() >= deadline) return row;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

Status require_wal(sqlite3* db, const std::filesystem::path& path, std::chrono::milliseconds busy_timeout) {
    auto row = switch_to_wal(db, busy_timeout);
    if (!row) return std::move(row).error();
    const std::string mode = row->is_object() ? row->value("journal_mode", std::string()) : std::string();
    if (mode != "wal")
        return make_error("storage.open_failed",
                          "the database at " + path.string() + " could not switch to WAL (journal_mode is '" +
                              mode + "'); put the data directory on a local file system");
    return ok_status();
}

Status apply_pragmas(sqlite3* db, ConnectionRole role) {
    std::string script = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
    if (role == ConnectionRole::reader) script += " PRAGMA query_only=ON;";
    return exec_script(db, script);
}

}  // namespace

Result<Connection> open_connection(const std::filesystem::path& path, ConnectionRole role,
                                   std::chrono::milliseconds busy_timeout) {
    const int flags = role == ConnectionRole::writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                                     : SQLITE_OPEN_READONLY;
    // NOMUTEX: each connection is used by one thread at a time (writer thread,
    // or a reader leased from the pool), so SQLite's own locking is wasted.
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    Connection db(raw);
    if (rc != SQLITE_OK) {
        auto error = sqlite_error(db.get(), "could not open " + path.string());
        error.code = "storage.open_failed";
        return error;
    }
    sqlite3_extended_result_codes(db.get(), 1);
    sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
    if (role == ConnectionRole::writer)
        if (auto s = require_wal(db.get(), path, busy_timeout); !s) return std::move(s).error();
    if (auto s = apply_pragmas(db.get(), role); !s) return std::move(s).error();
    return db;
}

}  // namespace cowork::kernel::storage
