// kernel/net/http_client.hpp — a blocking HTTP/1.1 client over Beast +
// OpenSSL.
//
// Threading: fetch() runs on the caller's thread with its own io_context
// (one connection per call, "Connection: close"): plugin worker threads
// already block per call, and nothing is shared between calls but the TLS
// context. cancel() is [any-thread] and wakes the fetch within a few ms.
//
// Order of checks per hop: URL guard (names) → DNS in the client → address
// filter on every resolved IP → connect → TLS (system CA store via
// SSL_CTX_set_default_verify_paths, so SSL_CERT_FILE/SSL_CERT_DIR apply;
// SNI; hostname verification) → request → response.
#pragma once

#include "net/address_filter.hpp"
#include "net/http_types.hpp"

#include <memory>

namespace cowork::kernel::net {

struct ClientOptions {
    AddressFilter filter;        // none: every address allowed (the plugin service: see http_service)
    UrlGuard guard;              // none: every URL allowed
    std::string extra_ca_pem;    // trusted in addition to the system store
    bool system_ca = true;       // false: trust only extra_ca_pem
    std::string user_agent = "cowork/0.1";
};

class HttpClient {
public:
    explicit HttpClient(ClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // [worker] Blocks until the response is complete or fails. With
    // `on_chunk`, the body streams through it. A non-2xx status is a
    // successful fetch (check HttpResponse::status).
    Result<HttpResponse> fetch(const HttpRequest& request, const ChunkFn& on_chunk = {});

    // [any-thread] Aborts the running fetch with that request_id ("cancelled").
    // Returns false if none is running under that id; the id is then
    // remembered for 5 s, so a fetch that starts with it right after (a
    // relayed cancel overtaking its request) is cancelled at once.
    bool cancel(const std::string& request_id);

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace cowork::kernel::net
