// notification_queue.hpp — server notifications handled on their own
// thread, so a slow handler (a list_changed refresh is itself a request) or
// a flood never blocks the reader that delivers answers. Bounded; identical
// queued list_changed notifications are coalesced (they carry no data).
//
// The worker's state is shared with the thread, not owned by this object:
// the last owner of the client may be a handler running on that very thread,
// and destroying the client there must not pull the queue from under it.
#pragma once

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace cowork::mcp {

class NotificationQueue {
public:
    using Handler = std::function<void(const std::string& method, const nlohmann::json& params)>;
    using Log = std::function<void(const std::string&)>;

    NotificationQueue(size_t capacity, Handler handler, Log warn);
    ~NotificationQueue();  // stops; joins unless called from the worker itself
    NotificationQueue(const NotificationQueue&) = delete;
    NotificationQueue& operator=(const NotificationQueue&) = delete;

    // [any-thread] Queues one notification; drops (and counts) beyond capacity.
    void push(const std::string& method, const nlohmann::json& params);

private:
    struct State;
    static void run(std::shared_ptr<State> state);
    std::shared_ptr<State> state_;
};

}  // namespace cowork::mcp
