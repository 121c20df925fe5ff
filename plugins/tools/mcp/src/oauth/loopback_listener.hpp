// loopback_listener.hpp — the one-shot redirect receiver of a native app
// (RFC 8252 §7.3): listens on 127.0.0.1 on an ephemeral port, takes the
// browser's GET to /callback, answers a short page, and hands back the query
// (code, state, or error). Other paths (favicon) get 404 and it keeps
// waiting, up to the deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>

namespace cowork::mcp::oauth {

class LoopbackListener {
public:
    LoopbackListener();  // throws sdk::Error when no port can be bound
    ~LoopbackListener();
    LoopbackListener(const LoopbackListener&) = delete;
    LoopbackListener& operator=(const LoopbackListener&) = delete;

    int port() const { return port_; }
    std::string redirect_uri() const;  // http://127.0.0.1:<port>/callback

    // The query parameters of the redirect. Throws sdk::Error (timeout) when
    // none arrives by `deadline` or `cancelled` turns true.
    std::map<std::string, std::string> wait(std::chrono::steady_clock::time_point deadline,
                                            const std::atomic<bool>* cancelled = nullptr);

private:
    int fd_ = -1;
    int port_ = 0;
};

}  // namespace cowork::mcp::oauth
