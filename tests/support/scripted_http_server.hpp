// tests/support/scripted_http_server.hpp — a scripted HTTP/1.1 server for
// tests and benchmarks: 127.0.0.1, ephemeral port, its own threads.
//
// Responses come from routes (method + path, query ignored) or, failing
// that, from a FIFO queue; with neither, 404 and a JSON body naming the
// request. Connections are kept alive until the client sends
// "Connection: close" or a response carries it (raw responses and
// close_mid_body always end the connection). Request bodies are read by
// Content-Length or chunked transfer encoding.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cowork::testing {

struct RecordedRequest {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

struct ScriptedResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // sent as given
    std::vector<std::string> chunks;                           // body pieces, written in order
    std::chrono::milliseconds delay_between{0};                // pause between chunks (trickle/SSE pacing)
    bool chunked = false;          // Transfer-Encoding: chunked (else Content-Length of all chunks)
    bool close_mid_body = false;   // write only the first chunk, then drop the connection
    std::string raw;               // if non-empty: written verbatim instead of all of the above
};

// A throwaway CA and a leaf certificate it signed, made in-process.
struct TlsIdentity {
    std::string cert_pem, key_pem, ca_pem;
    // CA + leaf with SAN IP:127.0.0.1, DNS:localhost (and `host` if other).
    static TlsIdentity self_signed(const std::string& host = "127.0.0.1");
};

class ScriptedServer {
public:
    ScriptedServer();                          // 127.0.0.1, ephemeral port, own thread
    explicit ScriptedServer(TlsIdentity tls);  // HTTPS with a cert made in-process
    ~ScriptedServer();
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    uint16_t port() const;
    std::string base_url() const;  // "http://127.0.0.1:PORT" ("https://…" with TLS)
    void enqueue(ScriptedResponse r);  // served in FIFO order to requests without a route
    void route(std::string method, std::string path, std::function<ScriptedResponse(const RecordedRequest&)> handler);
    std::vector<RecordedRequest> requests() const;  // everything received so far
    size_t connections() const;

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace cowork::testing
