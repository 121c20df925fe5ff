#include "process/executor.hpp"

namespace cowork::kernel::process {

void join_or_detach(std::thread& t) {
    if (!t.joinable()) return;
    if (t.get_id() == std::this_thread::get_id())
        t.detach();
    else
        t.join();
}

void WorkerPool::post(Job job) {
    auto& s = *state_;
    std::lock_guard lock(s.mutex);
    if (s.stopping) return;
    s.jobs.push_back(std::move(job));
    if (s.idle == 0 && s.workers.size() < max_workers_)
        s.workers.emplace_back([state = state_] { work(state); });
    else
        s.wake.notify_one();
}

void WorkerPool::work(const std::shared_ptr<State>& state) {
    auto& s = *state;
    std::unique_lock lock(s.mutex);
    for (;;) {
        ++s.idle;
        s.wake.wait(lock, [&] { return s.stopping || !s.jobs.empty(); });
        --s.idle;
        if (s.stopping) return;
        Job job = std::move(s.jobs.front());
        s.jobs.pop_front();
        lock.unlock();
        job();
        job = nullptr;  // release captures before taking the lock again
        lock.lock();
    }
}

void WorkerPool::stop() {
    std::vector<std::thread> workers;
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
        state_->jobs.clear();
        workers.swap(state_->workers);
    }
    state_->wake.notify_all();
    for (auto& t : workers) join_or_detach(t);
}

void SerialQueue::post(Job job) {
    auto& s = *state_;
    std::lock_guard lock(s.mutex);
    if (s.stopping) return;
    s.jobs.push_back(std::move(job));
    if (!s.thread.joinable()) s.thread = std::thread([state = state_] { work(state); });
    s.wake.notify_one();
}

void SerialQueue::work(const std::shared_ptr<State>& state) {
    auto& s = *state;
    std::unique_lock lock(s.mutex);
    for (;;) {
        s.wake.wait(lock, [&] { return s.stopping || !s.jobs.empty(); });
        if (s.stopping) return;
        Job job = std::move(s.jobs.front());
        s.jobs.pop_front();
        lock.unlock();
        job();
        job = nullptr;
        lock.lock();
    }
}

void SerialQueue::stop() {
    std::thread thread;
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
        state_->jobs.clear();
        thread.swap(state_->thread);
    }
    state_->wake.notify_all();
    join_or_detach(thread);
}

}  // namespace cowork::kernel::process
