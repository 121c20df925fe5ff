// kernel/storage/reader_pool.hpp — read-only connections for concurrent reads.
//
// In WAL mode readers never block the writer nor each other; each sees the
// last committed snapshot when its statement starts. A caller leases one
// connection for the duration of a read function.
#pragma once

#include "storage/connection.hpp"

#include <condition_variable>
#include <mutex>
#include <vector>

namespace cowork::kernel::storage {

class ReaderPool {
public:
    static Result<std::unique_ptr<ReaderPool>> open(const std::filesystem::path& path, int size,
                                                    std::chrono::milliseconds busy_timeout);

    // RAII lease; returns the connection to the pool on destruction.
    class Lease {
    public:
        Lease(ReaderPool* pool, sqlite3* db) : pool_(pool), db_(db) {}
        Lease(Lease&& other) noexcept : pool_(other.pool_), db_(other.db_) { other.db_ = nullptr; }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (db_) pool_->give_back(db_);
        }
        sqlite3* get() const { return db_; }

    private:
        ReaderPool* pool_;
        sqlite3* db_;
    };

    // [any-thread] Blocks until a connection is free. nullopt once closed.
    std::optional<Lease> acquire();

    // Waits for outstanding leases, then closes every connection. Idempotent.
    void close();
    ~ReaderPool() { close(); }

private:
    explicit ReaderPool(std::vector<Connection> connections);
    void give_back(sqlite3* db);

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Connection> owned_;
    std::vector<sqlite3*> idle_;
    bool closed_ = false;
};

}  // namespace cowork::kernel::storage
