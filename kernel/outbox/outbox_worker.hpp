// kernel/outbox/outbox_worker.hpp — a thread of its own that delivers what
// is due: at start, after every enqueue, and once a period (retries come
// due with time). Sends may block on the network for as long as a channel
// takes, so they stay off the kernel's small executor, whose threads carry
// bus delivery and timers (coworkd only; the CLI enqueues and leaves the
// sending to the daemon).
#pragma once

#include "outbox/outbox.hpp"

#include <condition_variable>
#include <thread>

namespace cowork::kernel::outbox {

class OutboxWorker {
public:
    // `outbox` must outlive the worker.
    explicit OutboxWorker(Outbox& outbox, std::chrono::milliseconds period = std::chrono::seconds(1));
    ~OutboxWorker();  // stop()

    void start();  // [main]
    // [main] Waits for a send in progress (bounded by the channel's own
    // timeout); on return no delivery pass is running or will run.
    void stop();
    void poke();   // [any-thread] deliver now rather than at the next period

private:
    void loop();

    Outbox& outbox_;
    const std::chrono::milliseconds period_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool poked_ = false;
    std::thread thread_;
};

}  // namespace cowork::kernel::outbox
