#include "notification_queue.hpp"

#include <thread>

namespace cowork::mcp {

struct NotificationQueue::State {
    size_t capacity;
    Handler handler;
    Log warn;
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<std::pair<std::string, nlohmann::json>> queue;
    size_t dropped = 0;
    bool stop = false;
    std::thread thread;
};

NotificationQueue::NotificationQueue(size_t capacity, Handler handler, Log warn) : state_(std::make_shared<State>()) {
    state_->capacity = capacity;
    state_->handler = std::move(handler);
    state_->warn = std::move(warn);
    state_->thread = std::thread(&NotificationQueue::run, state_);
}

NotificationQueue::~NotificationQueue() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stop = true;
    }
    state_->cv.notify_all();
    if (state_->thread.get_id() == std::this_thread::get_id()) state_->thread.detach();
    else if (state_->thread.joinable()) state_->thread.join();
}

void NotificationQueue::push(const std::string& method, const nlohmann::json& params) {
    std::lock_guard lock(state_->mutex);
    if (method.ends_with("/list_changed"))
        for (const auto& [m, p] : state_->queue)
            if (m == method) return;
    if (state_->queue.size() >= state_->capacity) {
        ++state_->dropped;
        return;
    }
    state_->queue.emplace_back(method, params);
    state_->cv.notify_one();
}

void NotificationQueue::run(std::shared_ptr<State> s) {
    std::unique_lock lock(s->mutex);
    for (;;) {
        s->cv.wait(lock, [&] { return s->stop || !s->queue.empty(); });
        if (s->stop) return;
        auto [method, params] = std::move(s->queue.front());
        s->queue.pop_front();
        const size_t dropped = std::exchange(s->dropped, 0);
        lock.unlock();
        if (dropped && s->warn) s->warn("dropped " + std::to_string(dropped) + " notifications (the server sends too many)");
        try {
            if (s->handler) s->handler(method, params);
        } catch (const std::exception& e) {
            if (s->warn) s->warn("handling " + method + " failed: " + e.what());
        }
        lock.lock();
    }
}

}  // namespace cowork::mcp
