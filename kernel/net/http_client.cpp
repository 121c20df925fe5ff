// The one translation unit with Asio and Beast in kernel/net (they are
// expensive to compile; see the toolchain notes). Everything else the client
// needs — URL parsing, redirects, TLS policy, address filtering — is plain
// C++ in its own file.
#include "net/http_client.hpp"

#include "core/asio.hpp"
#include "net/redirect.hpp"
#include "net/tls_setup.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <mutex>
#include <optional>

namespace cowork::kernel::net {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr size_t kReadChunk = 64 * 1024;  // 16 KiB measured ~25% slower on loopback
constexpr auto kEarlyCancelMemory = std::chrono::seconds(5);
constexpr uint32_t kHeaderLimit = 64 * 1024;

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

enum class Wait { done, timeout, cancelled };

// Completion state shared with a handler, so a handler that fires after we
// gave up on it (timeout, cancel) writes into live memory, never the stack.
struct Op {
    bool done = false;
    error_code ec;
};
struct Done {
    std::shared_ptr<Op> op;
    template <class... Rest>
    void operator()(error_code ec, Rest&&...) const {
        op->ec = ec;
        op->done = true;
    }
};

// One fetch: its own io_context, run one handler at a time on the caller's
// thread, so each step gets its own deadline and a cancel from another
// thread (a posted no-op) wakes the loop at once.
class Call {
public:
    explicit Call(const HttpRequest& request) : request_(request), deadline_(Clock::now() + request.timeout) {}

    asio::io_context& ioc() { return ioc_; }
    const HttpRequest& request() const { return request_; }
    Clock::time_point within(std::chrono::milliseconds d) const { return std::min(Clock::now() + d, deadline_); }
    Clock::time_point deadline() const { return deadline_; }

    // Starts an async operation (`start(Done)`) and runs until it completes,
    // `until` passes, or the call is cancelled.
    template <class Start>
    std::pair<Wait, error_code> run(Clock::time_point until, Start&& start) {
        auto op = std::make_shared<Op>();
        start(Done{op});
        for (;;) {
            if (cancelled_) return {Wait::cancelled, {}};
            if (op->done) return {Wait::done, op->ec};
            if (ioc_.stopped()) ioc_.restart();
            if (ioc_.run_one_until(until) == 0 && !op->done && !cancelled_ && Clock::now() >= until)
                return {Wait::timeout, {}};
        }
    }

    // [any-thread]
    void cancel() {
        cancelled_ = true;
        asio::post(ioc_, [] {});
    }

    // The error for a step that did not complete (nothing if it did, cleanly).
    std::optional<Error> interrupted(Wait w, const std::string& step, std::chrono::milliseconds step_timeout,
                                     const char* step_option) const {
        if (w == Wait::cancelled)
            return make_error(code::cancelled, request_.method + " " + request_.url + " was cancelled" +
                                                   (request_.request_id.empty() ? "" : " (requestId " + request_.request_id + ")"));
        if (w != Wait::timeout) return std::nullopt;
        if (Clock::now() >= deadline_)
            return make_error(code::timeout, request_.method + " " + request_.url + " did not complete within " +
                                                 ms(request_.timeout) + " (timeoutMs); raise it for slow endpoints");
        return make_error(code::timeout, step + ": nothing happened for " + ms(step_timeout) + " (" + step_option +
                                             "); the server is unreachable or stalled");
    }

private:
    const HttpRequest& request_;
    asio::io_context ioc_{1};
    std::atomic<bool> cancelled_{false};
    Clock::time_point deadline_;
};

bool header_safe(const std::string& s) { return s.find_first_of("\r\n") == std::string::npos && s.find('\0') == std::string::npos; }

bool ours(const std::string& name) {
    std::string n(name);
    for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return n == "host" || n == "content-length" || n == "transfer-encoding" || n == "connection";
}

Status validate(const HttpRequest& r) {
    if (r.method.empty() || r.method.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
        return make_error(code::invalid, "method must be an upper-case token like GET or POST, got '" + r.method + "'");
    for (const auto& [name, value] : r.headers)
        if (name.empty() || !header_safe(name) || name.find_first_of(" :") != std::string::npos || !header_safe(value))
            return make_error(code::invalid, "header '" + name + "' has an invalid name or a line break in its value");
    if (r.timeout.count() <= 0 || r.connect_timeout.count() <= 0 || r.idle_timeout.count() <= 0)
        return make_error(code::invalid, "timeouts must be positive");
    return ok_status();
}

http::request<http::string_body> build(const Url& url, const HttpRequest& r, const std::string& user_agent) {
    http::request<http::string_body> msg;
    msg.version(11);
    if (const auto verb = http::string_to_verb(r.method); verb != http::verb::unknown) msg.method(verb);
    else msg.method_string(r.method);
    msg.target(url.target);
    msg.set(http::field::host, url.authority());
    msg.set(http::field::user_agent, user_agent);
    for (const auto& [name, value] : r.headers)
        if (!ours(name)) msg.insert(name, value);
    msg.set(http::field::connection, "close");  // one exchange per connection
    msg.body() = r.body;
    if (!r.body.empty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH") msg.prepare_payload();
    return msg;
}

bool truncated(const error_code& ec) {
    return ec == http::error::partial_message || ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == ssl::error::stream_truncated;
}

Error read_error(const error_code& ec, const Url& url, const HttpRequest& r, uint64_t bytes, bool in_body) {
    if (ec == http::error::body_limit)
        return make_error(code::too_large, "response from " + url.host_port() + " is larger than maxBytes=" +
                                               std::to_string(r.max_bytes) + "; raise maxBytes or fetch less");
    if (truncated(ec))
        return make_error(code::protocol, url.host_port() + " closed the connection " +
                                              (in_body ? "after " + std::to_string(bytes) + " body bytes, " : "") +
                                              "before the response was complete");
    return make_error(code::protocol, "malformed HTTP response from " + url.host_port() + ": " + ec.message());
}

void collect_headers(const http::response_parser<http::buffer_body>& parser, HttpResponse& out) {
    out.status = static_cast<int>(parser.get().result_int());
    for (const auto& field : parser.get()) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto [it, fresh] = out.headers.emplace(name, std::string(field.value()));
        if (!fresh) it->second += ", " + std::string(field.value());
    }
}

}  // namespace

class HttpClient::Impl {
public:
    explicit Impl(ClientOptions options) : options_(std::move(options)) {}

    Result<HttpResponse> fetch(const HttpRequest& request, const ChunkFn& on_chunk);
    bool cancel(const std::string& id);

private:
    // Makes a running call findable by cancel() for as long as it lives.
    class Registration {
    public:
        Registration(Impl& impl, const std::string& id, Call& call) : impl_(impl), id_(id) {
            if (id_.empty()) return;
            std::lock_guard lock(impl_.mutex_);
            fresh_ = impl_.running_.emplace(id_, &call).second;
            // A cancel that overtook its request (both relayed from a plugin
            // on different workers) still applies.
            if (fresh_ && impl_.early_cancels_.erase(id_)) call.cancel();
        }
        ~Registration() {
            if (id_.empty() || !fresh_) return;
            std::lock_guard lock(impl_.mutex_);
            impl_.running_.erase(id_);
        }
        bool ok() const { return id_.empty() || fresh_; }

    private:
        Impl& impl_;
        const std::string& id_;
        bool fresh_ = false;
    };

    Result<HttpResponse> fetch_once(Call& call, const Url& url, const HttpRequest& r, const ChunkFn& on_chunk, bool follow);
    Result<tcp::socket> connect(Call& call, const Url& url, const HttpRequest& r);
    Result<ssl::context*> tls_context();
    template <class Stream>
    Result<HttpResponse> exchange(Call& call, Stream& stream, const Url& url, const HttpRequest& r,
                                  const ChunkFn& on_chunk, bool follow);

    const ClientOptions options_;
    std::mutex mutex_;  // guards running_ and the TLS context's creation
    std::map<std::string, Call*> running_;
    std::map<std::string, Clock::time_point> early_cancels_;  // cancels that found no running call
    std::unique_ptr<ssl::context> tls_;
    std::string tls_error_;
};

Result<HttpResponse> HttpClient::Impl::fetch(const HttpRequest& request, const ChunkFn& on_chunk) {
    if (auto valid = validate(request); !valid) return valid.error();
    auto url = parse_url(request.url);
    if (!url) return url.error();
    Call call(request);
    Registration registration(*this, request.request_id, call);
    if (!registration.ok())
        return make_error(code::invalid, "requestId '" + request.request_id + "' is already in use by a running request");
    HttpRequest hop = request;
    Url at = *url;
    for (int redirects = 0;; ++redirects) {
        if (options_.guard)
            if (auto allowed = options_.guard(at); !allowed) return allowed.error();
        const bool follow = redirects < request.max_redirects;
        auto response = fetch_once(call, at, hop, on_chunk, follow);
        if (!response) return response.error();
        const auto location = response->headers.find("location");
        if (!follow || !is_redirect(response->status) || location == response->headers.end()) {
            response->url = at.str();
            return response;
        }
        auto next = next_hop(at, hop, response->status, location->second);
        if (!next) return next.error();
        at = next->first;
        hop = next->second;
    }
}

bool HttpClient::Impl::cancel(const std::string& id) {
    std::lock_guard lock(mutex_);  // held while posting: the call cannot end (and free its io_context) meanwhile
    const auto it = running_.find(id);
    if (it != running_.end()) {
        it->second->cancel();
        return true;
    }
    // Not started yet, or already over: remember it briefly, in case the
    // request is still on its way. Ids are expected to be unique per request.
    const auto now = Clock::now();
    std::erase_if(early_cancels_, [&](const auto& e) { return now - e.second > kEarlyCancelMemory; });
    early_cancels_[id] = now;
    return false;
}

Result<ssl::context*> HttpClient::Impl::tls_context() {
    std::lock_guard lock(mutex_);
    if (!tls_ && tls_error_.empty()) {
        auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
        tls_error_ = configure_client_context(ctx->native_handle(), options_.system_ca, options_.extra_ca_pem);
        if (tls_error_.empty()) tls_ = std::move(ctx);
    }
    if (!tls_) return make_error(code::tls, tls_error_);
    return tls_.get();
}

Result<tcp::socket> HttpClient::Impl::connect(Call& call, const Url& url, const HttpRequest& r) {
    const auto until = call.within(r.connect_timeout);
    const std::string where = url.host_port();
    tcp::resolver resolver(call.ioc());
    auto results = std::make_shared<tcp::resolver::results_type>();
    auto [w, ec] = call.run(until, [&](Done done) {
        resolver.async_resolve(url.host, std::to_string(url.port),
                               [results, done](error_code e, tcp::resolver::results_type found) {
                                   *results = std::move(found);
                                   done(e);
                               });
    });
    if (auto e = call.interrupted(w, "resolving " + url.host, r.connect_timeout, "connectTimeoutMs")) return *e;
    if (ec) return make_error(code::connect, "could not resolve " + url.host + " (" + ec.message() + "); check the host name and DNS");

    std::string refused, last_error = "no addresses";
    for (const auto& entry : *results) {
        const tcp::endpoint ep = entry.endpoint();
        // The client's filter, then the request's own: both must allow the
        // address. The request's is taken from the call, never from the hop,
        // so nothing a redirect builds can drop it.
        const ResolvedAddress resolved{url.host, ep.address().to_string(), url.port};
        std::optional<std::string> why;
        if (options_.filter) why = options_.filter(resolved);
        if (!why && call.request().filter) why = call.request().filter(resolved);
        if (why) {
            if (refused.empty()) refused = *why;
            continue;
        }
        tcp::socket socket(call.ioc());
        std::tie(w, ec) = call.run(until, [&](Done done) { socket.async_connect(ep, done); });
        if (auto e = call.interrupted(w, "connecting to " + where, r.connect_timeout, "connectTimeoutMs")) return *e;
        if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);  // small requests go out at once
            return socket;
        }
        last_error = ep.address().to_string() + ": " + ec.message();
    }
    if (!refused.empty() && last_error == "no addresses")
        return make_error(code::denied, "refused to connect to " + where + ": " + refused);
    return make_error(code::connect, "could not connect to " + where + " (" + last_error +
                                         "); is the server running and reachable?");
}

Result<HttpResponse> HttpClient::Impl::fetch_once(Call& call, const Url& url, const HttpRequest& r,
                                                   const ChunkFn& on_chunk, bool follow) {
    auto socket = connect(call, url, r);
    if (!socket) return socket.error();
    if (!url.tls()) return exchange(call, *socket, url, r, on_chunk, follow);

    auto ctx = tls_context();
    if (!ctx) return ctx.error();
    ssl::stream<tcp::socket> stream(std::move(*socket), **ctx);
    if (!prepare_client_ssl(stream.native_handle(), url.host))
        return make_error(code::tls, "cannot set up TLS verification for " + url.host);
    auto [w, ec] = call.run(call.within(r.connect_timeout),
                            [&](Done done) { stream.async_handshake(ssl::stream_base::client, done); });
    if (auto e = call.interrupted(w, "TLS handshake with " + url.host_port(), r.connect_timeout, "connectTimeoutMs"))
        return *e;
    if (ec) return make_error(code::tls, tls_failure_message(stream.native_handle(), url.host, ec.message()));
    return exchange(call, stream, url, r, on_chunk, follow);
}

template <class Stream>
Result<HttpResponse> HttpClient::Impl::exchange(Call& call, Stream& stream, const Url& url, const HttpRequest& r,
                                                const ChunkFn& on_chunk, bool follow) {
    const std::string where = url.host_port();
    auto msg = build(url, r, options_.user_agent);
    // The upload may legitimately take long: only the overall deadline applies.
    auto [w, ec] = call.run(call.deadline(), [&](Done done) { http::async_write(stream, msg, done); });
    if (auto e = call.interrupted(w, "sending the request to " + where, r.timeout, "timeoutMs")) return *e;
    if (ec) return make_error(code::connect, "sending the request to " + where + " failed: " + ec.message());

    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(r.max_bytes);
    if (r.method == "HEAD") parser.skip(true);
    std::tie(w, ec) = call.run(call.within(r.idle_timeout),
                               [&](Done done) { http::async_read_header(stream, buffer, parser, done); });
    if (auto e = call.interrupted(w, "waiting for the response from " + where, r.idle_timeout, "idleTimeoutMs")) return *e;
    if (ec) return read_error(ec, url, r, 0, false);

    HttpResponse response;
    collect_headers(parser, response);
    if (follow && is_redirect(response.status) && response.headers.count("location")) return response;  // body unused
    if (r.on_head) r.on_head(response);

    char chunk[kReadChunk];
    while (!parser.is_done()) {
        parser.get().body().data = chunk;
        parser.get().body().size = sizeof chunk;
        std::tie(w, ec) = call.run(call.within(r.idle_timeout),
                                   [&](Done done) { http::async_read_some(stream, buffer, parser, done); });
        if (auto e = call.interrupted(w, "reading the body from " + where, r.idle_timeout, "idleTimeoutMs")) return *e;
        if (ec == http::error::need_buffer) ec = {};
        const size_t got = sizeof chunk - parser.get().body().size;
        if (got) {
            response.bytes += got;
            if (response.bytes > r.max_bytes) return read_error(http::error::body_limit, url, r, response.bytes, true);
            if (on_chunk) on_chunk(std::string_view(chunk, got));
            else response.body.append(chunk, got);
        }
        if (ec) return read_error(ec, url, r, response.bytes, true);
    }
    return response;
}

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::fetch(const HttpRequest& request, const ChunkFn& on_chunk) {
    return impl_->fetch(request, on_chunk);
}

bool HttpClient::cancel(const std::string& request_id) { return impl_->cancel(request_id); }

}  // namespace cowork::kernel::net
