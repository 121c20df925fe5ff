// kernel/storage/writer.hpp — the single writer thread and its group commit.
//
// Why one writer: SQLite allows one writer at a time anyway; funnelling all
// writes through one thread turns lock contention into a queue, and lets us
// put many small jobs into one transaction (one WAL append + sync instead of
// hundreds). A batch ends when the queue is empty, when it holds
// max_batch_jobs jobs, or when it has been open for max_batch_time.
#pragma once

#include "storage/connection.hpp"
#include "storage/write_job.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace cowork::kernel::storage {

struct WriterStats {
    std::uint64_t transactions = 0;   // group-commit transactions committed
    std::uint64_t jobs = 0;           // jobs run (batched + standalone)
    std::uint64_t failed_jobs = 0;    // jobs whose work returned an error
    std::uint64_t largest_batch = 0;  // most jobs in one transaction
};

struct WriterLimits {
    std::size_t max_batch_jobs = 512;
    std::chrono::microseconds max_batch_time{4000};
};

class Writer {
public:
    // Takes ownership of the write connection and starts the thread.
    Writer(Connection db, WriterLimits limits);
    ~Writer();  // stop()

    // [any-thread] Queues a job; false when the writer is stopping (the job is
    // then failed with "storage.closed" before this returns).
    bool submit(std::unique_ptr<WriteJob> job);

    // [any-thread, not the writer] Runs every queued job, then joins the thread
    // and closes the connection. Idempotent.
    void stop();

    WriterStats stats() const;

private:
    void loop();
    std::unique_ptr<WriteJob> next_job(bool wait);
    bool front_is_standalone();
    void run_standalone(std::unique_ptr<WriteJob> job);
    void run_batch(std::unique_ptr<WriteJob> first);
    bool run_in_savepoint(WriteJob& job);

    Connection db_;
    WriterLimits limits_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::unique_ptr<WriteJob>> queue_;
    bool stopping_ = false;
    std::mutex stop_mutex_;

    std::atomic<std::uint64_t> transactions_{0}, jobs_{0}, failed_jobs_{0}, largest_batch_{0};
    std::thread thread_;
};

}  // namespace cowork::kernel::storage
