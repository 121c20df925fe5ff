#include "plugins/supervisor.hpp"

#include "core/log.hpp"

namespace cowork::kernel::plugins {

Supervisor::Supervisor(std::string plugin_id, BackoffPolicy policy, RestartFn restart, GiveUpFn give_up)
    : plugin_id_(std::move(plugin_id)), policy_(std::move(policy)), restart_(std::move(restart)),
      give_up_(std::move(give_up)) {
    thread_ = std::thread([this] { run(); });
}

Supervisor::~Supervisor() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void Supervisor::on_crash(const std::string& reason) {
    std::lock_guard lock(mutex_);
    schedule(reason);
    wake_.notify_all();
}

void Supervisor::schedule(const std::string& reason) {
    if (gave_up_ || stopping_ || due_) return;  // a restart is already on its way
    last_reason_ = reason;
    const auto now = BackoffPolicy::Clock::now();
    if (const auto delay = policy_.on_failure(now)) {
        kernel::logger(plugin_id_)->warn("{}; restarting in {} ms", reason, delay->count());
        due_ = now + *delay;
        return;
    }
    gave_up_ = true;
    kernel::logger(plugin_id_)->error("{}; crashed too often, giving up", reason);
}

void Supervisor::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || due_ || gave_up_; });
        if (stopping_) return;
        if (gave_up_) {
            const std::string reason = last_reason_;
            lock.unlock();
            if (give_up_) give_up_(reason);
            lock.lock();
            wake_.wait(lock, [this] { return stopping_; });
            return;
        }
        if (wake_.wait_until(lock, *due_, [this] { return stopping_; })) return;
        due_.reset();
        lock.unlock();
        const Status restarted = restart_();
        lock.lock();
        if (restarted)
            ++restarts_;
        else
            schedule("restart of " + plugin_id_ + " failed: " + restarted.error().message);
    }
}

unsigned Supervisor::restarts() const {
    std::lock_guard lock(mutex_);
    return restarts_;
}

bool Supervisor::gave_up() const {
    std::lock_guard lock(mutex_);
    return gave_up_;
}

}  // namespace cowork::kernel::plugins
