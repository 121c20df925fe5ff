#include "storage/writer.hpp"

#include "core/log.hpp"
#include "storage/sqlite.hpp"

#include <vector>

namespace cowork::kernel::storage {

Writer::Writer(Connection db, WriterLimits limits)
    : db_(std::move(db)), limits_(limits), thread_([this] { loop(); }) {}

Writer::~Writer() { stop(); }

bool Writer::submit(std::unique_ptr<WriteJob> job) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            queue_.push_back(std::move(job));
            wake_.notify_one();
            return true;
        }
    }
    job->fail(make_error("storage.closed", "the database is closing; the write was not performed"));
    return false;
}

void Writer::stop() {
    std::lock_guard serialize(stop_mutex_);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    db_.reset();
}

WriterStats Writer::stats() const {
    return WriterStats{transactions_.load(), jobs_.load(), failed_jobs_.load(), largest_batch_.load()};
}

void Writer::loop() {
    // Statements stay prepared across jobs for this connection, and are
    // finalized when the loop ends — before stop() closes the connection.
    StatementCache statements(db_.get());
    // Drains: after stop() the thread keeps going until the queue is empty.
    while (auto job = next_job(/*wait=*/true)) {
        if (job->mode() == JobMode::standalone)
            run_standalone(std::move(job));
        else
            run_batch(std::move(job));
    }
}

std::unique_ptr<WriteJob> Writer::next_job(bool wait) {
    std::unique_lock lock(mutex_);
    if (wait) wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return nullptr;
    auto job = std::move(queue_.front());
    queue_.pop_front();
    return job;
}

bool Writer::front_is_standalone() {
    std::lock_guard lock(mutex_);
    return !queue_.empty() && queue_.front()->mode() == JobMode::standalone;
}

void Writer::run_standalone(std::unique_ptr<WriteJob> job) {
    ++jobs_;
    if (!job->run(db_.get())) ++failed_jobs_;
    if (!sqlite3_get_autocommit(db_.get())) {
        // The job left a transaction open: undo it rather than let the next
        // batch's BEGIN fail.
        exec_script(db_.get(), "ROLLBACK").ok();
        job->fail(make_error("storage.job_failed", "a standalone write job left its transaction open"));
        return;
    }
    job->deliver();
}

bool Writer::run_in_savepoint(WriteJob& job) {
    sqlite3* db = db_.get();
    if (auto s = execute(db, "SAVEPOINT job"); !s) {
        job.fail(std::move(s).error());
        return false;
    }
    ++jobs_;
    const bool keep = job.run(db) && execute(db, "RELEASE job").ok();
    if (!keep) {
        ++failed_jobs_;
        // Only this job's changes go; the rest of the batch stays.
        exec_script(db, "ROLLBACK TO job; RELEASE job").ok();
    }
    return true;
}

void Writer::run_batch(std::unique_ptr<WriteJob> first) {
    sqlite3* db = db_.get();
    if (auto s = execute(db, "BEGIN IMMEDIATE"); !s) {
        logger()->error("storage: could not start a write transaction: {}", s.error().message);
        first->fail(std::move(s).error());
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::unique_ptr<WriteJob>> ran;
    auto fail_all = [&](const Error& error) {
        for (auto& job : ran) job->fail(error);
    };

    for (auto job = std::move(first); job; job = next_job(/*wait=*/false)) {
        if (run_in_savepoint(*job)) ran.push_back(std::move(job));
        if (sqlite3_get_autocommit(db)) {
            // SQLite rolled the whole transaction back (disk full, I/O error):
            // nothing in this batch survived.
            fail_all(make_error("storage.transaction_lost",
                                "the write transaction was rolled back by SQLite; retry the operation"));
            return;
        }
        const bool full = ran.size() >= limits_.max_batch_jobs ||
                          std::chrono::steady_clock::now() - started >= limits_.max_batch_time;
        if (full || front_is_standalone()) break;
    }

    if (auto s = execute(db, "COMMIT"); !s) {
        logger()->error("storage: commit failed: {}", s.error().message);
        exec_script(db, "ROLLBACK").ok();
        fail_all(s.error());
        return;
    }
    ++transactions_;
    if (ran.size() > largest_batch_) largest_batch_ = ran.size();
    for (auto& job : ran) job->deliver();
}

}  // namespace cowork::kernel::storage
