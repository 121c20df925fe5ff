// kernel/process/executor.hpp — where an RPC endpoint runs incoming work.
//
// Requests run on a pool that grows on demand: a request may block waiting
// for a nested call to the peer (plugin.start → host.storage.exec → …), so a
// fixed pool could deadlock once every worker waits. Notifications (bus
// deliveries, timer fires, logs) run on one serial thread so they keep the
// order they were sent in.
//
// Both stop()s are safe to call from one of their own threads (e.g. a crash
// handler that tears the endpoint down): that thread is detached, not joined.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace cowork::kernel::process {

using Job = std::function<void()>;

class WorkerPool {
public:
    explicit WorkerPool(size_t max_workers = 64) : max_workers_(max_workers) {}
    ~WorkerPool() { stop(); }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // [any-thread] Runs `job` soon; spawns a worker if none is idle. Past the
    // cap jobs queue (re-entrancy deeper than the cap would then wait).
    void post(Job job);
    // [any-thread] Drops queued jobs, waits for running ones, joins workers.
    void stop();

private:
    // Shared with the worker threads so a worker detached by a self-stop
    // never touches a destroyed pool.
    struct State {
        std::mutex mutex;
        std::condition_variable wake;
        std::deque<Job> jobs;
        std::vector<std::thread> workers;
        size_t idle = 0;
        bool stopping = false;
    };
    static void work(const std::shared_ptr<State>& state);

    const size_t max_workers_;
    std::shared_ptr<State> state_ = std::make_shared<State>();
};

class SerialQueue {
public:
    SerialQueue() = default;
    ~SerialQueue() { stop(); }
    SerialQueue(const SerialQueue&) = delete;
    SerialQueue& operator=(const SerialQueue&) = delete;

    // [any-thread] Runs jobs one at a time, in post order, on one thread.
    void post(Job job);
    void stop();

private:
    struct State {
        std::mutex mutex;
        std::condition_variable wake;
        std::deque<Job> jobs;
        std::thread thread;
        bool stopping = false;
    };
    static void work(const std::shared_ptr<State>& state);

    std::shared_ptr<State> state_ = std::make_shared<State>();
};

// Joins `t` unless it is the calling thread, which is detached instead.
void join_or_detach(std::thread& t);

}  // namespace cowork::kernel::process
