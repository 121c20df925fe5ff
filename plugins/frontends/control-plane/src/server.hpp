// server.hpp — the listener: HTTP (GET /health) and WebSocket sessions.
// Beast lives only in server.cpp; this header is Beast-free.
#pragma once

#include "frames.hpp"
#include "nonce_book.hpp"
#include "rate_limiter.hpp"
#include "router.hpp"
#include "settings.hpp"

#include <memory>
#include <string>

namespace cowork::cp {

class Server {
public:
    Server(Settings settings, Router& router, NonceBook& nonces, RateLimiter& limiter, std::string version);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start();  // binds and listens; throws std::runtime_error with the reason
    void stop();   // closes every client with 1001 and joins the threads
    unsigned short port() const;
    bool tls() const;
    // Lower-case hex SHA-256 of the served certificate (DER), for clients that
    // pin it (the CLI reads it from listener.json); empty without TLS.
    std::string certificate_sha256() const;

    // Fan an event out to authenticated clients. `redacted` is what read-only
    // clients get. Non-blocking: called from the kernel's bus strand.
    void broadcast(const std::string& event, const Json& full, const Json& redacted);
    void close_device(const std::string& device_id, int code, const std::string& reason);
    Json stats() const;  // {clients, slowConsumersDropped, eventsDropped}

    struct Impl;  // public so the session classes in server.cpp can name it

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace cowork::cp
