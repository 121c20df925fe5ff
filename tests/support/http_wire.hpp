// tests/support/http_wire.hpp — the scripted server's byte level: one
// connection (plain fd or OpenSSL over it), reading a request, writing a
// scripted response. Internal to cowork_test_support.
#pragma once

#include "scripted_http_server.hpp"

#include <openssl/ssl.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

namespace cowork::testing::wire {

// A server-side connection. Owns the fd (and the SSL object, if any).
class Conn {
public:
    Conn(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
    ~Conn();
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    bool handshake();                       // TLS accept; true for plain connections
    long read_some(char* buf, size_t size);  // >0 bytes, 0 on EOF/error
    bool write_all(const std::string& data);
    void shutdown_both();                    // unblocks a reader on another thread
    int fd() const { return fd_; }

private:
    int fd_;
    SSL* ssl_;
};

// Reads requests off one connection, keeping bytes that belong to the next.
class RequestReader {
public:
    explicit RequestReader(Conn& conn) : conn_(conn) {}
    // Next request, or nothing on EOF or a malformed request.
    std::optional<RecordedRequest> next();

private:
    bool fill();  // reads more bytes into buf_; false on EOF
    bool read_body(RecordedRequest& r);
    bool read_chunked(RecordedRequest& r);
    std::optional<std::string> take_line();

    Conn& conn_;
    std::string buf_;
};

// Lets sleeps between chunks end early when the server stops.
class Stopper {
public:
    void stop();
    bool stopped() const { return stopped_; }
    // False if the server stopped during the wait.
    bool sleep(std::chrono::milliseconds d);

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::atomic<bool> stopped_{false};
};

// Writes `r`; returns whether the connection may serve another request.
bool write_response(Conn& conn, const ScriptedResponse& r, bool client_wants_close, Stopper& stopper);

std::string lower(std::string s);

}  // namespace cowork::testing::wire
