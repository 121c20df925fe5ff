// kernel/outbox/outbox_worker.cpp
#include "outbox/outbox_worker.hpp"

#include "core/log.hpp"

namespace cowork::kernel::outbox {

OutboxWorker::OutboxWorker(Outbox& outbox, std::chrono::milliseconds period) : outbox_(outbox), period_(period) {}

OutboxWorker::~OutboxWorker() { stop(); }

void OutboxWorker::start() {
    if (thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    outbox_.on_enqueued([this] { poke(); });
    thread_ = std::thread([this] { loop(); });
}

void OutboxWorker::stop() {
    if (!thread_.joinable()) return;
    outbox_.on_enqueued(nullptr);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void OutboxWorker::poke() {
    {
        std::lock_guard lock(mutex_);
        poked_ = true;
    }
    wake_.notify_all();
}

void OutboxWorker::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        poked_ = false;
        lock.unlock();
        try {
            outbox_.deliver_due();
        } catch (const std::exception& e) {  // a bug in a pass must not end deliveries for good
            logger()->error("outbox: delivery pass failed: {}", e.what());
        }
        lock.lock();
        wake_.wait_for(lock, period_, [this] { return stopping_ || poked_; });
    }
}

}  // namespace cowork::kernel::outbox
