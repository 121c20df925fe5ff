// kernel/storage/connection.hpp — opening a configured SQLite connection.
#pragma once

#include "core/result.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>

namespace cowork::kernel::storage {

struct ConnectionCloser {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

enum class ConnectionRole {
    writer,  // read-write, creates the file, switches the file to WAL
    reader,  // opened read-only and with query_only=ON: belt and braces
};

// Opens `path` for `role` and applies the pragmas every connection needs:
// busy_timeout, foreign_keys=ON, synchronous=NORMAL; the writer also
// checks that journal_mode really became WAL (it silently stays DELETE on
// file systems without shared memory, and group commit relies on WAL).
Result<Connection> open_connection(const std::filesystem::path& path, ConnectionRole role,
                                   std::chrono::milliseconds busy_timeout);

}  // namespace cowork::kernel::storage
