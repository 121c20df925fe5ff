// kernel/outbox/outbox_worker.hpp — drives Outbox::deliver_due() from a
// periodic timer on the kernel's executor (coworkd only; the CLI enqueues
// and leaves the sending to the daemon).
#pragma once

#include "outbox/outbox.hpp"
#include "scheduler/timer_service.hpp"

namespace cowork::kernel::outbox {

class OutboxWorker {
public:
    // `outbox` and `timers` must outlive the worker.
    OutboxWorker(Outbox& outbox, scheduler::TimerService& timers,
                 std::chrono::milliseconds period = std::chrono::seconds(1));
    ~OutboxWorker();  // stop()

    void start();  // [main]
    void stop();   // [main] on return no delivery pass is running

private:
    Outbox& outbox_;
    scheduler::TimerService& timers_;
    const std::chrono::milliseconds period_;
    scheduler::TimerId timer_ = 0;
};

}  // namespace cowork::kernel::outbox
