// http_server.hpp — the HTTP/1.1 listener. Beast lives only in
// http_server.cpp; this header is Beast-free.
//
// Threads: two I/O threads run every socket (header and body reads, writes,
// timeouts); a small worker pool runs Endpoints::admit/handle, so a slow
// kernel call never stalls I/O and a stalled client never holds a worker.
#pragma once

#include "endpoints.hpp"
#include "hooks_config.hpp"

#include <memory>

namespace cowork::hooks {

class HttpServer {
public:
    HttpServer(const HooksConfig& config, Endpoints& endpoints);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    void start();  // [main] binds and listens; throws std::runtime_error with the reason
    void stop();   // [main] stops accepting, waits for running handlers, closes every connection
    unsigned short port() const;
    Json stats() const;  // {connections, requests, rejectedConnections}

    struct Impl;  // public so the session class in http_server.cpp can name it

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace cowork::hooks
