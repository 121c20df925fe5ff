#include "request_workers.hpp"

namespace cowork::mcp {

RequestWorkers::RequestWorkers(size_t limit) : limit_(limit) {}

RequestWorkers::~RequestWorkers() { close(); }

void RequestWorkers::join_finished() {
    for (auto it = workers_.begin(); it != workers_.end();) {
        if (*it->done) {
            it->thread.join();  // it has returned from its work; this is immediate
            it = workers_.erase(it);
        } else {
            ++it;
        }
    }
}

bool RequestWorkers::try_run(std::function<void()> work) {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    join_finished();
    if (running_ >= limit_) return false;
    auto done = std::make_shared<bool>(false);
    ++running_;
    workers_.push_back({std::thread([this, done, work = std::move(work)] {
                            try {
                                work();
                            } catch (...) {  // work reports its own failures; a thread must never throw out
                            }
                            std::lock_guard lock(mutex_);
                            --running_;
                            *done = true;
                        }),
                        done});
    return true;
}

void RequestWorkers::close() {
    std::list<Worker> workers;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        workers.swap(workers_);
    }
    for (auto& w : workers) {
        if (w.thread.get_id() == std::this_thread::get_id()) w.thread.detach();
        else if (w.thread.joinable()) w.thread.join();
    }
}

size_t RequestWorkers::running() const {
    std::lock_guard lock(mutex_);
    return running_;
}

}  // namespace cowork::mcp
