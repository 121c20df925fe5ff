// The one Beast translation unit of the plugin (toolchain.md §5: Beast is
// expensive to compile, so it stays behind http_server.hpp).
#include <utility>  // before asio: Boost 1.74 + C++20 needs std::exchange

#include "http_server.hpp"

#include "responses.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cowork_frontend/listener.hpp>

#include <array>
#include <atomic>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

namespace cowork::hooks {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::Impl {
    const HooksConfig& config;
    Endpoints& endpoints;
    std::atomic<size_t> connections{0}, requests{0}, rejected{0};
    std::atomic<bool> stopping{false};  // no new requests start once stop() begins
    std::string busy_response;
    // Declared after what sessions use: destroyed first, with the sessions it holds.
    asio::io_context ioc{2};
    std::unique_ptr<tcp::acceptor> acceptor;
    std::vector<std::thread> threads;
    asio::thread_pool workers{4};

    Impl(const HooksConfig& c, Endpoints& e) : config(c), endpoints(e) {}
    void accept();
    void reject(tcp::socket socket);
};

namespace {

constexpr size_t kHeaderLimit = 16 * 1024;

std::string peer_address(const tcp::socket& s) {
    boost::system::error_code ec;
    const auto ep = s.remote_endpoint(ec);
    return ec ? std::string() : ep.address().to_string();
}

std::string text(beast::string_view s) { return std::string(s.data(), s.size()); }

std::string lower(beast::string_view s) {
    std::string out = text(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

Head head_of(const http::request_parser<http::string_body>& parser, const std::string& remote) {
    const auto& req = parser.get();
    Head h;
    h.method = text(req.method_string());
    const std::string target = text(req.target());
    h.path = target.substr(0, target.find('?'));
    for (const auto& field : req) {
        std::string& v = h.headers[lower(field.name_string())];
        if (!v.empty()) v += ", ";
        v += text(field.value());
    }
    h.remote = remote;
    if (auto n = parser.content_length()) h.content_length = *n;
    return h;
}

std::string raw_busy_response() {
    const std::string body = failure(503, "BUSY", "too many open connections; retry shortly").body.dump();
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
           "Retry-After: 1\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

// One client connection: reads a header, asks the endpoints whether to go
// on, reads the body, answers; then the next request (keep-alive) or close.
// Everything here runs on the connection's strand; the endpoints run on the
// worker pool. One deadline covers the header and the body of a request, so
// a client trickling bytes (slowloris) is cut off after request_timeout.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(HttpServer::Impl& srv, tcp::socket&& socket) : srv_(srv), stream_(std::move(socket)) { ++srv_.connections; }
    ~Session() { --srv_.connections; }

    void run() {
        remote_ = peer_address(stream_.socket());
        read_head();
    }

private:
    void read_head() {
        parser_.emplace();
        parser_->header_limit(kHeaderLimit);
        // Content-Length is judged by admit(); the real cap is set before the body is read.
        parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
        stream_.expires_after(srv_.config.request_timeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](beast::error_code ec, size_t) { self->on_head(ec); });
    }

    void on_head(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
            ec == asio::error::connection_reset || ec == asio::error::operation_aborted || srv_.stopping)
            return close();
        if (ec) {
            const int status = ec == http::error::header_limit ? 431 : 400;
            return write(failure(status, "BAD_REQUEST", "malformed HTTP request: " + ec.message()), false);
        }
        ++srv_.requests;
        Head head = head_of(*parser_, remote_);
        asio::post(srv_.workers, [self = shared_from_this(), head = std::move(head)]() mutable {
            std::optional<Response> verdict;
            try {
                verdict = self->srv_.endpoints.admit(head);
            } catch (const std::exception& e) {
                verdict = failure(500, "INTERNAL_ERROR", std::string("internal error: ") + e.what());
            }
            asio::post(self->stream_.get_executor(), [self, verdict = std::move(verdict), head = std::move(head)]() mutable {
                self->admitted(std::move(verdict), std::move(head));
            });
        });
    }

    void admitted(std::optional<Response> verdict, Head head) {
        if (verdict) return write(std::move(*verdict), false);  // its body stays unread: this connection ends
        head_ = std::move(head);
        parser_->body_limit(srv_.config.max_body_bytes);  // chunked bodies stop at the cap too
        if (lower(parser_->get()[http::field::expect]) == "100-continue" && !parser_->is_done()) {
            auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
            http::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code ec, size_t) {
                if (ec) return self->close();
                self->read_body();
            });
            return;
        }
        read_body();
    }

    void read_body() {
        if (parser_->is_done()) return on_body({});
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); });
    }

    void on_body(beast::error_code ec) {
        if (ec == http::error::body_limit)
            return write(failure(413, "PAYLOAD_TOO_LARGE",
                                 "the body exceeds " + std::to_string(srv_.config.max_body_bytes) +
                                     " bytes (config max_body_bytes)"),
                         false);
        if (ec) return close();  // timeout, reset, malformed chunking: nobody to answer
        const bool keep_alive = parser_->get().keep_alive();
        Request req{std::move(head_), std::move(parser_->get().body())};
        asio::post(srv_.workers, [self = shared_from_this(), req = std::move(req), keep_alive]() mutable {
            Response res;
            try {
                res = self->srv_.endpoints.handle(req);
            } catch (const std::exception& e) {
                res = failure(500, "INTERNAL_ERROR", std::string("internal error: ") + e.what());
            }
            asio::post(self->stream_.get_executor(), [self, res = std::move(res), keep_alive]() mutable {
                self->write(std::move(res), keep_alive);
            });
        });
    }

    void write(Response r, bool keep_alive) {
        auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), 11);
        res->set(http::field::server, "cowork-hooks");
        res->set(http::field::content_type, "application/json");
        res->set(http::field::cache_control, "no-store");
        for (const auto& [name, value] : r.headers) res->set(name, value);
        res->keep_alive(keep_alive);
        res->body() = r.body.dump(-1, ' ', false, Json::error_handler_t::replace);
        res->prepare_payload();
        stream_.expires_after(srv_.config.request_timeout);
        http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
            if (ec) return self->close();
            if (keep_alive) return self->read_head();
            self->drain_and_close();
        });
    }

    // Closing a socket with unread request bytes resets the connection, and
    // the reset can destroy the response before the client reads it (a 413
    // the client never sees). Half-close, then discard what the client still
    // sends, bounded in time and bytes.
    void drain_and_close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.expires_after(std::chrono::seconds(2));
        drain();
    }

    void drain() {
        stream_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, size_t n) {
            self->drained_ += n;
            if (ec || self->drained_ > 4 * self->srv_.config.max_body_bytes + (1 << 20)) return self->close();
            self->drain();
        });
    }

    void close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.socket().close(ec);
    }

    HttpServer::Impl& srv_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    Head head_;
    std::string remote_;
    std::array<char, 8192> scratch_{};
    size_t drained_ = 0;
};

void HttpServer::Impl::accept() {
    acceptor->async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
        if (!ec) {
            if (connections.load() >= config.max_connections) reject(std::move(socket));
            else std::make_shared<Session>(*this, std::move(socket))->run();
        }
        accept();
    });
}

// Over the connection cap: a fixed 503 and close, without reading anything.
void HttpServer::Impl::reject(tcp::socket socket) {
    ++rejected;
    auto s = std::make_shared<tcp::socket>(std::move(socket));
    asio::async_write(*s, asio::buffer(busy_response), [s](beast::error_code, size_t) {
        beast::error_code ec;
        s->shutdown(tcp::socket::shutdown_both, ec);
        s->close(ec);
    });
}

HttpServer::HttpServer(const HooksConfig& config, Endpoints& endpoints)
    : impl_(std::make_shared<Impl>(config, endpoints)) {
    impl_->busy_response = raw_busy_response();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    auto& i = *impl_;
    i.acceptor = frontend::open_listener(i.ioc, i.config.bind, i.config.port,
                                         "set port in [plugins.\"frontend.hooks\"] of cowork.toml, or 0 for a free port");
    i.accept();
    for (int n = 0; n < 2; ++n) i.threads.emplace_back([&i] { i.ioc.run(); });
}

void HttpServer::stop() {
    auto& i = *impl_;
    if (i.threads.empty()) return;
    i.stopping = true;
    asio::post(i.ioc, [&i] {
        beast::error_code ec;
        i.acceptor->close(ec);
    });
    i.workers.join();  // handlers already running finish their kernel call
    i.ioc.stop();
    for (auto& t : i.threads) t.join();
    i.threads.clear();
}

unsigned short HttpServer::port() const {
    beast::error_code ec;
    return impl_->acceptor ? impl_->acceptor->local_endpoint(ec).port() : 0;
}

Json HttpServer::stats() const {
    return {{"connections", impl_->connections.load()},
            {"requests", impl_->requests.load()},
            {"rejectedConnections", impl_->rejected.load()}};
}

}  // namespace cowork::hooks
