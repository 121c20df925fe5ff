// kernel/storage/write_job.hpp — one unit of work for the writer thread.
#pragma once

#include "core/result.hpp"

#include <sqlite3.h>

#include <exception>
#include <functional>
#include <future>
#include <optional>
#include <utility>

namespace cowork::kernel::storage {

// How a job runs on the write connection.
enum class JobMode {
    // Inside the writer's group-commit transaction, under its own SAVEPOINT:
    // if the job fails only its own changes roll back. The job must not
    // BEGIN/COMMIT itself.
    batched,
    // Alone, with no transaction open: the job manages its own transactions
    // (migrations: one transaction each).
    standalone,
};

// Type-erased job. The writer calls run() once, then exactly one of
// deliver() (the job's result, after its transaction committed or, for a
// failed job, after its savepoint rolled back) or fail() (the transaction
// the job was part of was lost).
class WriteJob {
public:
    explicit WriteJob(JobMode mode) : mode_(mode) {}
    virtual ~WriteJob() = default;

    JobMode mode() const { return mode_; }
    // true: the job succeeded and its changes should be kept.
    virtual bool run(sqlite3* db) = 0;
    virtual void deliver() = 0;
    virtual void fail(Error error) = 0;

private:
    JobMode mode_;
};

// A job computing Result<T>; completes a promise and/or calls a callback.
// The callback runs on the writer thread: keep it short and non-blocking
// (post to your own strand), and never wait on another write from it.
template <class T>
class TypedJob final : public WriteJob {
public:
    using Work = std::function<Result<T>(sqlite3*)>;
    using Done = std::function<void(const Result<T>&)>;

    TypedJob(JobMode mode, Work work, Done done) : WriteJob(mode), work_(std::move(work)), done_(std::move(done)) {}

    std::future<Result<T>> future() { return promise_.get_future(); }

    bool run(sqlite3* db) override {
        try {
            result_.emplace(work_(db));
        } catch (const std::exception& e) {
            result_.emplace(make_error("storage.job_failed", std::string("write job threw: ") + e.what()));
        } catch (...) {
            result_.emplace(make_error("storage.job_failed", "write job threw a non-standard exception"));
        }
        return result_->ok();
    }

    void deliver() override { finish(std::move(*result_)); }
    void fail(Error error) override { finish(Result<T>(std::move(error))); }

private:
    void finish(Result<T> result) {
        if (done_) {
            try {
                done_(result);
            } catch (...) {
                // A throwing callback must not take the writer thread down.
            }
        }
        promise_.set_value(std::move(result));
    }

    Work work_;
    Done done_;
    std::optional<Result<T>> result_;
    std::promise<Result<T>> promise_;
};

}  // namespace cowork::kernel::storage
