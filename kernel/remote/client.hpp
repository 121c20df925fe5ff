// kernel/remote/client.hpp — the control-plane protocol over one WebSocket
// (docs/control-plane.md): requests matched to responses by id, events
// queued for whoever waits on them. Thread-safe.
#pragma once

#include "core/result.hpp"
#include "remote/ws_transport.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace cowork::kernel::remote {

struct Event {
    std::string name;  // "task.event", "approval.requested", "shutdown", …
    Json payload;
    uint64_t seq = 0;
};

class Client {
public:
    // Opens the WebSocket and waits for the server's connect.challenge.
    static Result<std::unique_ptr<Client>> open(const Endpoint& endpoint, std::chrono::milliseconds timeout);
    ~Client();

    // The challenge's payload {nonce, ts}.
    const Json& challenge() const { return challenge_; }

    // One request; waits for its response (or the connection's end). A
    // failed response becomes an Error with the wire code (UNKNOWN_METHOD,
    // UNAUTHORIZED, …), its message and details.
    Result<Json> call(const std::string& method, const Json& params, const std::string& idempotency_key = "");

    // Waits up to `timeout` for at least one event; returns every queued one.
    std::vector<Event> wait_events(std::chrono::milliseconds timeout);

    bool closed() const;
    // After the end: why ("code 1001: server shutting down").
    std::string close_description() const;

private:
    Client() = default;
    void on_message(const std::string& text);
    void on_closed(int code, const std::string& reason);

    std::unique_ptr<WsTransport> transport_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    Json challenge_;
    std::map<std::string, Json> responses_;
    std::deque<Event> events_;
    uint64_t next_id_ = 1;
    bool closed_ = false;
    int close_code_ = 0;
    std::string close_reason_;
};

}  // namespace cowork::kernel::remote
