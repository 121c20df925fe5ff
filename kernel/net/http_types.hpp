// kernel/net/http_types.hpp — one HTTP exchange as the client sees it.
#pragma once

#include "net/address_filter.hpp"
#include "net/url.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cowork::kernel::net {

// Error codes (abi.h, cowork.http/1): every failed fetch carries one.
namespace code {
inline constexpr const char* denied = "denied";        // guard or address filter refused
inline constexpr const char* timeout = "timeout";      // connect, idle or overall
inline constexpr const char* cancelled = "cancelled";  // HttpClient::cancel
inline constexpr const char* connect = "connect";      // DNS or TCP
inline constexpr const char* tls = "tls";              // handshake, certificate
inline constexpr const char* too_large = "too_large";  // body over max_bytes
inline constexpr const char* protocol = "protocol";    // malformed or truncated response
inline constexpr const char* invalid = "invalid";      // bad URL, bad request fields
}  // namespace code

struct HttpRequest {
    std::string request_id;  // names the call for cancel(); empty: not cancellable
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;  // Host/Content-Length/Connection are ours
    std::string body;
    std::chrono::milliseconds timeout{60000};          // the whole call, redirects included
    std::chrono::milliseconds connect_timeout{10000};  // DNS + TCP + TLS handshake, per hop
    std::chrono::milliseconds idle_timeout{30000};     // longest silence while sending/receiving
    uint64_t max_bytes = 64ull << 20;                  // body cap → "too_large"
    int max_redirects = 0;                             // 0: a 3xx is returned as is
    // Called once with the final response's status and headers (body still
    // empty) before any body chunk: streaming callers learn the status first.
    std::function<void(const struct HttpResponse& head)> on_head;
    // Per-request address filter, applied after DNS on the first hop and on
    // every redirect hop, IN ADDITION to the client's own filter: a request
    // can only tighten what the client allows (cowork.http/1 "ssrfGuard").
    AddressFilter filter;
};

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names; repeats joined by ", "
    std::string body;                            // empty when streamed to a ChunkFn
    uint64_t bytes = 0;                          // body bytes received
    std::string url;                             // the final URL (after redirects)
};

// Receives body bytes as they arrive (chunked framing already removed).
// Called on the fetching thread; when set, HttpResponse::body stays empty.
using ChunkFn = std::function<void(std::string_view)>;

// Checked for the first URL and for every redirect hop before any DNS.
// Return an Error (code "denied") to refuse.
using UrlGuard = std::function<Status(const Url&)>;

}  // namespace cowork::kernel::net
