// request_workers.hpp — the threads that answer a server's own requests
// (elicitation, sampling). Answering may wait minutes for a person, so it
// never runs on the transport's reader (which must keep delivering the
// answers our calls wait for). Bounded: beyond `limit` concurrent answers a
// request is refused, so a server cannot pile up threads.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace cowork::mcp {

class RequestWorkers {
public:
    explicit RequestWorkers(size_t limit);
    ~RequestWorkers();  // close()
    RequestWorkers(const RequestWorkers&) = delete;
    RequestWorkers& operator=(const RequestWorkers&) = delete;

    // [any-thread] Runs `work` on its own thread; false (and `work` dropped)
    // when `limit` are already running or after close().
    bool try_run(std::function<void()> work);
    // Refuses new work and waits for the running ones; idempotent. From a
    // worker itself, that worker is left to finish on its own.
    void close();
    size_t running() const;

private:
    struct Worker {
        std::thread thread;
        std::shared_ptr<bool> done;  // guarded by mutex_
    };
    void join_finished();  // caller holds mutex_

    const size_t limit_;
    mutable std::mutex mutex_;
    std::list<Worker> workers_;
    size_t running_ = 0;
    bool closed_ = false;
};

}  // namespace cowork::mcp
