// kernel/storage/database.hpp — the kernel's SQLite database.
//
// Construction (kernel start-up, [main]):
//     Migrations migrations;
//     migrations.add(kernel_migrations());          // always first
//     migrations.add(scheduler_migrations());       // other components after
//     auto db = Database::open({.path = paths.database()}, migrations);
// Then hand `*db` (by reference) to the repositories and PluginStores; the
// Database must outlive them. Destroying it (or close()) drains the queue.
//
// Writes: write() queues a job for the single writer thread, which groups
// whatever is queued into one transaction (group commit) with a SAVEPOINT
// per job. Results arrive after COMMIT, through a future or a callback
// that runs on the writer thread (keep it short; never wait on a write
// future from inside a write job or callback: that deadlocks).
// Reads: read() leases a read-only connection from a pool and runs on the
// calling thread — keep reads off the io_context strands when they may be
// slow, as for any blocking work (ARCHITECTURE §4).
#pragma once

#include "storage/migrations.hpp"
#include "storage/reader_pool.hpp"
#include "storage/writer.hpp"

#include <filesystem>
#include <functional>
#include <future>
#include <memory>

namespace cowork::kernel::storage {

struct DatabaseOptions {
    std::filesystem::path path;  // parent directories are created (0700)
    int readers = 4;
    std::chrono::milliseconds busy_timeout{5000};
    WriterLimits writer;
};

class Database {
public:
    // [any-thread] Opens (creating the file), switches to WAL, applies
    // `migrations` in order, then starts the writer and the reader pool.
    static Result<std::unique_ptr<Database>> open(DatabaseOptions options, const Migrations& migrations);

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // [any-thread] Batched write; see the header comment.
    template <class T>
    std::future<Result<T>> write(std::function<Result<T>(sqlite3*)> work,
                                 std::function<void(const Result<T>&)> on_done = {}) {
        return submit<T>(JobMode::batched, std::move(work), std::move(on_done));
    }

    // [any-thread] A write that runs outside any transaction and manages its
    // own (BEGIN IMMEDIATE … COMMIT), e.g. migrations.
    template <class T>
    std::future<Result<T>> write_standalone(std::function<Result<T>(sqlite3*)> work) {
        return submit<T>(JobMode::standalone, std::move(work), {});
    }

    // [any-thread] Runs `work` on a read-only connection, on this thread.
    template <class T>
    Result<T> read(const std::function<Result<T>(sqlite3*)>& work) const {
        auto lease = readers_->acquire();
        if (!lease) return make_error("storage.closed", "the database is closed");
        try {
            return work(lease->get());
        } catch (const std::exception& e) {
            return make_error("storage.read_failed", std::string("read threw: ") + e.what());
        }
    }

    // [any-thread] Applies a component's migrations after open (a component
    // that starts late); same rules as at open. Returns versions applied.
    std::future<Result<std::vector<int>>> migrate(MigrationSet set);

    // [any-thread, never the writer] Drains queued writes, stops the writer,
    // closes every connection. Idempotent; later calls fail "storage.closed".
    void close();

    WriterStats stats() const { return writer_->stats(); }
    const std::filesystem::path& path() const { return path_; }

private:
    Database(std::filesystem::path path, std::unique_ptr<Writer> writer, std::unique_ptr<ReaderPool> readers);

    template <class T>
    std::future<Result<T>> submit(JobMode mode, std::function<Result<T>(sqlite3*)> work,
                                  std::function<void(const Result<T>&)> on_done) {
        auto job = std::make_unique<TypedJob<T>>(mode, std::move(work), std::move(on_done));
        auto future = job->future();
        writer_->submit(std::move(job));
        return future;
    }

    std::filesystem::path path_;
    std::unique_ptr<Writer> writer_;
    std::unique_ptr<ReaderPool> readers_;
};

}  // namespace cowork::kernel::storage
