// The one Beast translation unit of the plugin (toolchain.md §5: Beast is
// expensive to compile, so it stays behind server.hpp).
#include <utility>  // before asio: Boost 1.74 + C++20 needs std::exchange

#include "server.hpp"

#include "crypto.hpp"
#include "protocol.hpp"
#include "send_queue.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <cowork_frontend/listener.hpp>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <type_traits>
#include <vector>

namespace cowork::cp {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// What the server needs of a WebSocket session, whatever its transport
// (plain TCP or TLS): both kinds live in one registry.
class SessionBase {
public:
    virtual ~SessionBase() = default;
    // Called from any thread.
    virtual void post_event(const std::string& event, std::shared_ptr<const Json> full,
                            std::shared_ptr<const Json> redacted) = 0;
    virtual void post_close(int code, std::string reason, const std::string& device_id = {}) = 0;
};

struct Server::Impl {
    Settings settings;
    Router& router;
    NonceBook& nonces;
    RateLimiter& limiter;
    std::string version;
    std::mutex mutex;
    std::set<std::weak_ptr<SessionBase>, std::owner_less<std::weak_ptr<SessionBase>>> sessions;
    std::unique_ptr<asio::ssl::context> tls;  // set when tls_cert/tls_key are configured
    std::atomic<size_t> slow_dropped{0}, events_dropped{0};
    // Declared after what sessions use: destroyed first, with the sessions it holds.
    asio::io_context ioc{2};
    std::unique_ptr<tcp::acceptor> acceptor;
    std::vector<std::thread> threads;
    asio::thread_pool workers{4};

    Impl(Settings s, Router& r, NonceBook& n, RateLimiter& l, std::string v)
        : settings(std::move(s)), router(r), nonces(n), limiter(l), version(std::move(v)) {}
    void accept();
};

namespace {

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string peer_address(const tcp::socket& s) {
    boost::system::error_code ec;
    const auto ep = s.remote_endpoint(ec);
    return ec ? std::string() : ep.address().to_string();
}

}  // namespace

// One WebSocket client. Everything except the request handler runs on the
// socket's strand; the handler runs on this client's worker strand so a slow
// kernel call never blocks I/O and replies keep request order.
template <class Stream>
class WsSession : public SessionBase, public std::enable_shared_from_this<WsSession<Stream>> {
    using std::enable_shared_from_this<WsSession<Stream>>::shared_from_this;
    using std::enable_shared_from_this<WsSession<Stream>>::weak_from_this;

public:
    WsSession(Server::Impl& srv, Stream&& stream, std::string remote)
        : srv_(srv), ws_(std::move(stream)), work_(asio::make_strand(srv.workers.get_executor())),
          timer_(ws_.get_executor()), stall_timer_(ws_.get_executor()), queue_(srv.settings.send_queue_bytes, srv.settings.send_queue_frames) {
        auth_.remote = std::move(remote);
    }

    void run(http::request<http::string_body> req, bool banned) {
        beast::get_lowest_layer(ws_).expires_never();
        auto t = websocket::stream_base::timeout::suggested(beast::role_type::server);
        t.idle_timeout = std::chrono::seconds(srv_.settings.heartbeat_s * 2);  // pings at half of it
        ws_.set_option(t);
        ws_.read_message_max(srv_.settings.max_payload);
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& r) { r.set(http::field::server, "cowork-control-plane"); }));
        ws_.async_accept(req, [self = shared_from_this(), banned](beast::error_code ec) {
            if (ec) return;
            self->opened(banned);
        });
    }

    void post_event(const std::string& event, std::shared_ptr<const Json> full,
                    std::shared_ptr<const Json> redacted) override {
        asio::post(ws_.get_executor(), [self = shared_from_this(), event, full, redacted] {
            if (!self->authed_) return;
            const Json& payload = self->read_only_ ? *redacted : *full;
            self->send(dump(event_frame(event, payload, ++self->seq_)), true);
        });
    }
    void post_close(int code, std::string reason, const std::string& device_id = {}) override {
        asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason, device_id] {
            if (device_id.empty() || device_id == self->device_id_) self->close(code, reason);
        });
    }

private:
    void opened(bool banned) {
        {
            std::lock_guard lock(srv_.mutex);
            srv_.sessions.insert(std::weak_ptr<SessionBase>(shared_from_this()));
        }
        if (banned) return close(kCloseRateLimited, "too many failed authentications; try later");
        auth_.nonce = random_b64url(32);
        auth_.nonce_ts = now_ms();
        srv_.nonces.issue(auth_.nonce);
        send(dump(event_frame("connect.challenge", {{"nonce", auth_.nonce}, {"ts", auth_.nonce_ts}}, ++seq_)), false);
        timer_.expires_after(srv_.settings.handshake_timeout);
        timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (!ec && !self->authed_) self->close(kCloseHandshakeTimeout, "handshake timeout");
        });
        read();
    }

    void read() {
        if (reading_ || closing_) return;
        reading_ = true;
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        reading_ = false;
        if (ec) return finish();  // includes message_too_big: Beast already sent close 1009
        const std::string text = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        if (!ws_.got_text()) {
            send(dump(error_frame(nullptr, kInvalidFrame, "frames are JSON text, not binary")), false);
            return read();
        }
        Parsed parsed = parse_request(text);
        if (!parsed.request) {
            send(dump(error_frame(parsed.error.id, kInvalidFrame, parsed.error.message)), false);
            return read();
        }
        ++inflight_;
        asio::post(work_, [self = shared_from_this(), req = std::move(*parsed.request)] {
            Outcome out = self->srv_.router.handle(self->auth_, req);
            const std::string device = self->auth_.device_id;
            const bool read_only = !self->auth_.has_scope("write") && !self->auth_.has_scope("admin");
            asio::post(self->ws_.get_executor(), [self, out = std::move(out), device, read_only] {
                self->apply(out, device, read_only);
            });
        });
        if (may_read()) read();
    }

    void apply(const Outcome& out, const std::string& device, bool read_only) {
        --inflight_;
        if (out.authenticated_now) {
            device_id_ = device;
            read_only_ = read_only;
            authed_ = true;
            timer_.cancel();
        }
        send(dump(out.frame), false);
        if (out.close_code) close(out.close_code, out.close_reason);
        else if (may_read()) read();
    }

    // Back-pressure: a client that pipelines without reading its replies
    // stops being read (TCP then pushes back on it) instead of growing our
    // queue; a connection whose writes stall past stall_timeout is dropped.
    bool may_read() const {
        return inflight_ < 256 && queue_.bytes() <= srv_.settings.send_queue_bytes / 2 &&
               queue_.frames() <= srv_.settings.send_queue_frames / 2;
    }

    void send(std::string frame, bool droppable) {
        if (closing_) return;
        switch (queue_.offer(std::move(frame), droppable)) {
        case SendQueue::Offer::dropped: ++srv_.events_dropped; return;
        case SendQueue::Offer::overflow:
            // Not reading at all: the pending write will never finish, so a
            // close frame could not be sent either. Cut the connection.
            ++srv_.slow_dropped;
            closing_ = true;
            return teardown();
        case SendQueue::Offer::queued: break;
        }
        if (!writing_) write_next();
    }

    void write_next() {
        writing_ = true;
        stall_timer_.expires_after(srv_.settings.stall_timeout);
        // The generation guards against a timer that fired just as the previous write finished.
        stall_timer_.async_wait([self = shared_from_this(), gen = ++write_gen_](beast::error_code ec) {
            if (ec || !self->writing_ || gen != self->write_gen_) return;
            ++self->srv_.slow_dropped;  // not reading at all: a close frame could not get through either
            self->closing_ = true;
            self->teardown();
        });
        ws_.text(true);
        ws_.async_write(asio::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, size_t) {
            self->on_write(ec);
        });
    }

    void on_write(beast::error_code ec) {
        writing_ = false;
        stall_timer_.cancel();
        if (ec) return teardown();
        if (!closing_ && !close_code_ && may_read()) read();
        if (auto dropped = queue_.pop())
            (void)queue_.offer(dump(event_frame("events.dropped", {{"count", *dropped}}, ++seq_)), false);
        if (!queue_.empty()) return write_next();
        if (close_code_) start_close();
    }

    void close(int code, const std::string& reason) {
        if (closing_ || close_code_) return;
        close_code_ = code;
        close_reason_ = reason;
        if (!writing_) start_close();  // else after the queued frames are written
    }

    void start_close() {
        closing_ = true;
        // A peer that never answers the close frame must not hold the socket.
        beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(2));
        websocket::close_reason cr;
        cr.code = static_cast<uint16_t>(close_code_);
        cr.reason = close_reason_;
        ws_.async_close(cr, [self = shared_from_this()](beast::error_code) { self->finish(); });
    }

    void teardown() {
        beast::error_code ec;
        beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
        beast::get_lowest_layer(ws_).socket().close(ec);
        finish();
    }

    void finish() {
        timer_.cancel();
        stall_timer_.cancel();
        std::lock_guard lock(srv_.mutex);
        srv_.sessions.erase(std::weak_ptr<SessionBase>(shared_from_this()));
    }

    Server::Impl& srv_;
    websocket::stream<Stream> ws_;
    asio::strand<asio::thread_pool::executor_type> work_;
    asio::steady_timer timer_;
    asio::steady_timer stall_timer_;
    beast::flat_buffer buffer_;
    SendQueue queue_;
    SessionAuth auth_;  // worker strand only
    std::atomic<bool> authed_{false};
    bool read_only_ = true;
    std::string device_id_;
    uint64_t seq_ = 0;
    size_t inflight_ = 0;
    uint64_t write_gen_ = 0;
    bool reading_ = false, writing_ = false, closing_ = false;
    int close_code_ = 0;
    std::string close_reason_;
};

// Reads one HTTP request: /health, or a WebSocket upgrade. Over TLS the
// handshake comes first; a client speaking plain HTTP to a TLS listener fails
// it and is disconnected.
template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
    using std::enable_shared_from_this<HttpSession<Stream>>::shared_from_this;
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

public:
    HttpSession(Server::Impl& srv, Stream&& stream) : srv_(srv), stream_(std::move(stream)) {}

    void run() {
        remote_ = peer_address(beast::get_lowest_layer(stream_).socket());
        beast::get_lowest_layer(stream_).expires_after(srv_.settings.handshake_timeout);
        if constexpr (kTls) {
            stream_.async_handshake(asio::ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
                if (!ec) self->read();
            });
        } else {
            read();
        }
    }

private:
    void read() {
        parser_.body_limit(8192);
        parser_.header_limit(16384);
        http::async_read(stream_, buffer_, parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
            if (!ec) self->route();
        });
    }

    void route() {
        auto req = parser_.release();
        if (websocket::is_upgrade(req)) {
            const auto origin = req[http::field::origin];
            if (!origin.empty() && !origin_allowed(std::string(origin)))
                return respond(http::status::forbidden, R"({"error":"origin not allowed"})");
            const bool banned = srv_.limiter.banned(remote_);
            std::make_shared<WsSession<Stream>>(srv_, std::move(stream_), remote_)->run(std::move(req), banned);
            return;
        }
        if (req.method() == http::verb::get && req.target() == "/health")
            return respond(http::status::ok, dump(Json{{"ok", true}, {"status", "ok"}, {"version", srv_.version},
                                                       {"protocol", kProtocolVersion}}));
        respond(http::status::not_found, R"({"error":"not found; the control plane is a WebSocket at /"})");
    }

    bool origin_allowed(const std::string& origin) const {
        const auto& list = srv_.settings.allowed_origins;
        return std::find(list.begin(), list.end(), origin) != list.end();
    }

    void respond(http::status status, std::string body) {
        auto res = std::make_shared<http::response<http::string_body>>(status, 11);
        res->set(http::field::content_type, "application/json");
        res->set(http::field::cache_control, "no-store");
        res->keep_alive(false);
        res->body() = std::move(body);
        res->prepare_payload();
        http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code, size_t) {
            if constexpr (kTls) {
                self->stream_.async_shutdown([self](beast::error_code) {});
            } else {
                beast::error_code ec;
                self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
            }
        });
    }

    Server::Impl& srv_;
    Stream stream_;
    beast::flat_buffer buffer_;
    http::request_parser<http::string_body> parser_;
    std::string remote_;
};

// The TLS context: the configured PEM chain and key, TLS 1.2 or newer.
// Throws with the setting to fix.
std::unique_ptr<asio::ssl::context> make_tls_context(const Settings& s) {
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                     asio::ssl::context::single_dh_use);
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(s.tls_cert, ec);
    if (ec) throw std::runtime_error("tls_cert '" + s.tls_cert + "' is not a readable PEM certificate chain: " + ec.message());
    ctx->use_private_key_file(s.tls_key, asio::ssl::context::pem, ec);
    if (ec) throw std::runtime_error("tls_key '" + s.tls_key + "' is not a readable PEM private key: " + ec.message());
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
        throw std::runtime_error("tls_key '" + s.tls_key + "' does not belong to the certificate in tls_cert '" +
                                 s.tls_cert + "'");
    return ctx;
}

void Server::Impl::accept() {
    acceptor->async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
        if (!ec) {
            if (tls)
                std::make_shared<HttpSession<TlsStream>>(*this, TlsStream(beast::tcp_stream(std::move(socket)), *tls))->run();
            else
                std::make_shared<HttpSession<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)))->run();
        }
        accept();
    });
}

Server::Server(Settings settings, Router& router, NonceBook& nonces, RateLimiter& limiter, std::string version)
    : impl_(std::make_shared<Impl>(std::move(settings), router, nonces, limiter, std::move(version))) {}

Server::~Server() { stop(); }

void Server::start() {
    auto& i = *impl_;
    if (tls_enabled(i.settings)) i.tls = make_tls_context(i.settings);
    i.acceptor = frontend::open_listener(i.ioc, i.settings.bind, i.settings.port,
                                         "set port in [plugins.\"frontend.control-plane\"] of cowork.toml (0 picks a "
                                         "free port; listener.json says which), or COWORK_CONTROL_PLANE_PORT for one run");
    i.accept();
    for (int n = 0; n < 2; ++n) i.threads.emplace_back([&i] { i.ioc.run(); });
}

void Server::stop() {
    auto& i = *impl_;
    if (i.threads.empty()) return;
    asio::post(i.ioc, [&i] {
        beast::error_code ec;
        i.acceptor->close(ec);
    });
    // Every client hears why before the close frame (queued on the same
    // strand, so the event is written first).
    const auto bye = std::make_shared<const Json>(Json{{"reason", "coworkd is stopping"}});
    for (auto& s : [&] {
             std::lock_guard lock(i.mutex);
             return std::vector<std::weak_ptr<SessionBase>>(i.sessions.begin(), i.sessions.end());
         }())
        if (auto p = s.lock()) {
            p->post_event("shutdown", bye, bye);
            p->post_close(1001, "server shutting down");
        }
    // Give clients a moment to get their close frame, then stop hard.
    for (int n = 0; n < 20; ++n) {
        {
            std::lock_guard lock(i.mutex);
            if (i.sessions.empty()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    i.workers.join();
    i.ioc.stop();
    for (auto& t : i.threads) t.join();
    i.threads.clear();
}

unsigned short Server::port() const {
    beast::error_code ec;
    return impl_->acceptor ? impl_->acceptor->local_endpoint(ec).port() : 0;
}

bool Server::tls() const { return impl_->tls != nullptr; }

std::string Server::certificate_sha256() const {
    if (!impl_->tls) return {};
    X509* cert = SSL_CTX_get0_certificate(impl_->tls->native_handle());
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!cert || X509_digest(cert, EVP_sha256(), md, &len) != 1) return {};
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int n = 0; n < len; ++n) out += {hex[md[n] >> 4], hex[md[n] & 15]};
    return out;
}

void Server::broadcast(const std::string& event, const Json& full, const Json& redacted) {
    auto f = std::make_shared<const Json>(full);
    auto r = std::make_shared<const Json>(redacted);
    std::lock_guard lock(impl_->mutex);
    for (const auto& s : impl_->sessions)
        if (auto p = s.lock()) p->post_event(event, f, r);
}

void Server::close_device(const std::string& device_id, int code, const std::string& reason) {
    std::lock_guard lock(impl_->mutex);
    for (const auto& s : impl_->sessions)
        if (auto p = s.lock()) p->post_close(code, reason, device_id);
}

Json Server::stats() const {
    size_t clients = 0;
    {
        std::lock_guard lock(impl_->mutex);
        clients = impl_->sessions.size();
    }
    return {{"clients", clients},
            {"slowConsumersDropped", impl_->slow_dropped.load()},
            {"eventsDropped", impl_->events_dropped.load()}};
}

}  // namespace cowork::cp
