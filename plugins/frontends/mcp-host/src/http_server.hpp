// http_server.hpp — the Streamable HTTP transport (MCP 2025-06-18 /
// 2025-11-25) on one path: POST carries client messages (answered with JSON
// or an SSE stream), GET opens the session's server-to-client SSE stream,
// DELETE ends a session. Beast lives only in http_server.cpp.
#pragma once

#include "dispatcher.hpp"
#include "session_table.hpp"
#include "settings.hpp"
#include "token_book.hpp"

#include <memory>

namespace cowork::mcp {

class HttpServer {
public:
    HttpServer(const Settings& settings, const TokenBook& tokens, SessionTable& sessions, const Dispatcher& dispatcher);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    void start();  // binds and listens; throws std::runtime_error with the reason
    void stop();   // closes every connection, waits for calls in flight, joins
    unsigned short port() const;

    struct Impl;  // public so the connection class in http_server.cpp can name it

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace cowork::mcp
