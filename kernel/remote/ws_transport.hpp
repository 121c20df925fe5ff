// kernel/remote/ws_transport.hpp — one WebSocket client connection (ws:// or
// wss://) with its own I/O thread. Beast and Asio live in ws_transport.cpp
// only; this header names neither (they are expensive to compile).
#pragma once

#include "core/result.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace cowork::kernel::remote {

struct Endpoint {
    std::string host;         // "127.0.0.1"
    std::string port;         // "18789"
    std::string path = "/";
    bool tls = false;         // wss://
    // wss:// only: lower-case hex SHA-256 of the server certificate. When set,
    // exactly that certificate is accepted (self-signed included) and nothing
    // else; when empty the system trust store and the host name decide.
    std::string cert_sha256;
};

// "ws://host:port/path" or "wss://…"; IPv6 hosts in brackets.
Result<Endpoint> parse_ws_url(const std::string& url);

class WsTransport {
public:
    // [io thread] Every text frame, in order.
    using OnMessage = std::function<void(std::string text)>;
    // [io thread] Once, when the connection ends (code 0: no close frame, e.g. reset).
    using OnClosed = std::function<void(int code, const std::string& reason)>;

    // Connects, upgrades and starts reading. Fails with "unavailable" (nothing
    // listening, handshake refused, timeout) and a message naming the URL.
    static Result<std::unique_ptr<WsTransport>> open(const Endpoint& endpoint, OnMessage on_message, OnClosed on_closed,
                                                     std::chrono::milliseconds timeout);
    // [any thread] Queues one text frame; frames go out in call order.
    Status send(std::string text);
    // [any thread] Sends a normal close (1000) and joins the I/O thread. Idempotent.
    void close();
    ~WsTransport();

    struct Impl;

private:
    explicit WsTransport(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<Impl> impl_;
};

}  // namespace cowork::kernel::remote
