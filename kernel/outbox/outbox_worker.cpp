// kernel/outbox/outbox_worker.cpp
#include "outbox/outbox_worker.hpp"

namespace cowork::kernel::outbox {

OutboxWorker::OutboxWorker(Outbox& outbox, scheduler::TimerService& timers, std::chrono::milliseconds period)
    : outbox_(outbox), timers_(timers), period_(period) {}

OutboxWorker::~OutboxWorker() { stop(); }

void OutboxWorker::start() {
    if (timer_ != 0) return;
    timer_ = timers_.add(std::chrono::milliseconds(0), period_, [this] { outbox_.deliver_due(); });
}

void OutboxWorker::stop() {
    if (timer_ == 0) return;
    timers_.cancel(std::exchange(timer_, 0));
}

}  // namespace cowork::kernel::outbox
