// The one Beast translation unit of the CLI's control-plane client.
#include "remote/ws_transport.hpp"

#include "core/asio.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <thread>

namespace cowork::kernel::remote {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

Result<Endpoint> parse_ws_url(const std::string& url) {
    Endpoint e;
    std::string rest;
    if (url.rfind("ws://", 0) == 0) rest = url.substr(5);
    else if (url.rfind("wss://", 0) == 0) rest = url.substr(6), e.tls = true;
    else return make_error("usage", "'" + url + "' is not a ws:// or wss:// URL");
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) e.path = rest.substr(slash);
    if (!authority.empty() && authority.front() == '[') {  // [::1]:18789
        const auto close = authority.find(']');
        if (close == std::string::npos) return make_error("usage", "'" + url + "': unclosed [ in the host");
        e.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':') e.port = authority.substr(close + 2);
    } else {
        const auto colon = authority.rfind(':');
        e.host = authority.substr(0, colon);
        if (colon != std::string::npos) e.port = authority.substr(colon + 1);
    }
    if (e.port.empty()) e.port = e.tls ? "443" : "80";
    if (e.host.empty()) return make_error("usage", "'" + url + "' has no host");
    return e;
}

namespace {

std::string sha256_hex(X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!cert || X509_digest(cert, EVP_sha256(), md, &len) != 1) return {};
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) out += {hex[md[i] >> 4], hex[md[i] & 15]};
    return out;
}

}  // namespace

// State shared by both transports; the stream type lives in Conn<Stream>.
struct WsTransport::Impl {
    virtual ~Impl() = default;
    asio::io_context ioc{1};
    std::thread thread;
    OnMessage on_message;
    OnClosed on_closed;
    std::deque<std::string> outbox;  // io thread only
    bool writing = false;            // io thread only
    std::atomic<bool> ended{false};
    std::once_flag close_once;

    virtual Status handshake(const Endpoint& e, std::chrono::milliseconds timeout) = 0;
    virtual void read() = 0;
    virtual void write_front() = 0;
    virtual void close_async() = 0;
};

namespace {

template <class Stream>
class Conn : public WsTransport::Impl, public std::enable_shared_from_this<Conn<Stream>> {
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

public:
    Conn() : ssl_ctx_(ssl::context::tls_client), ws_(make_stream()) {}

    Status handshake(const Endpoint& e, std::chrono::milliseconds timeout) override {
        const std::string url = std::string(kTls ? "wss://" : "ws://") + e.host + ":" + e.port + e.path;
        if constexpr (kTls) configure_tls(e);
        beast::error_code result = asio::error::would_block;
        tcp::resolver resolver(ioc);
        auto& lowest = beast::get_lowest_layer(ws_);
        lowest.expires_after(timeout);
        resolver.async_resolve(e.host, e.port, [&](beast::error_code ec, tcp::resolver::results_type r) {
            if (ec) return void(result = ec);
            lowest.async_connect(r, [&](beast::error_code ec2, const tcp::endpoint&) {
                if (ec2) return void(result = ec2);
                auto upgrade = [&] {
                    ws_.async_handshake(e.host + ":" + e.port, e.path, [&](beast::error_code ec3) { result = ec3; });
                };
                if constexpr (kTls)
                    ws_.next_layer().async_handshake(ssl::stream_base::client, [&, upgrade](beast::error_code ec3) {
                        if (ec3) return void(result = ec3);
                        upgrade();
                    });
                else
                    upgrade();
            });
        });
        ioc.run();
        ioc.restart();
        if (result) return make_error("unavailable", "cannot open " + url + ": " + result.message());
        lowest.expires_never();
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        ws_.read_message_max(64u << 20);
        return ok_status();
    }

    void read() override {
        ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return self->finish(ec == websocket::error::closed ? self->ws_.reason().code : 0,
                                        std::string(self->ws_.reason().reason.c_str()));
            std::string text = beast::buffers_to_string(self->buffer_.data());
            self->buffer_.consume(self->buffer_.size());
            if (self->on_message) self->on_message(std::move(text));
            self->read();
        });
    }

    void write_front() override {
        writing = true;
        ws_.text(true);
        ws_.async_write(asio::buffer(outbox.front()), [self = this->shared_from_this()](beast::error_code ec, size_t) {
            self->writing = false;
            self->outbox.pop_front();
            if (ec) return;  // the read side reports the end
            if (!self->outbox.empty()) self->write_front();
        });
    }

    void close_async() override {
        if (ended) return;
        beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(2));  // a mute peer must not hold us
        ws_.async_close(websocket::close_code::normal, [self = this->shared_from_this()](beast::error_code) {});
    }

private:
    Stream make_stream_layer() {
        if constexpr (kTls) return TlsStream(beast::tcp_stream(ioc), ssl_ctx_);
        else return beast::tcp_stream(ioc);
    }
    websocket::stream<Stream> make_stream() { return websocket::stream<Stream>(make_stream_layer()); }

    void configure_tls(const Endpoint& e) {
        auto& tls = ws_.next_layer();
        tls.set_verify_mode(ssl::verify_peer);
        if (!e.cert_sha256.empty()) {
            // Pinned: the leaf certificate must be exactly the one coworkd
            // announced in listener.json (a self-signed cert is fine).
            tls.set_verify_callback([pin = e.cert_sha256](bool, ssl::verify_context& v) {
                X509_STORE_CTX* store = v.native_handle();
                if (X509_STORE_CTX_get_error_depth(store) > 0) return true;
                return sha256_hex(X509_STORE_CTX_get_current_cert(store)) == pin;
            });
        } else {
            ssl_ctx_.set_default_verify_paths();
            tls.set_verify_callback(ssl::host_name_verification(e.host));
        }
        SSL_set_tlsext_host_name(tls.native_handle(), e.host.c_str());
    }

    void finish(int code, std::string reason) {
        if (ended.exchange(true)) return;
        if (on_closed) on_closed(code, reason);
    }

    ssl::context ssl_ctx_;  // before ws_: the TLS stream refers to it
    websocket::stream<Stream> ws_;
    beast::flat_buffer buffer_;
};

}  // namespace

Result<std::unique_ptr<WsTransport>> WsTransport::open(const Endpoint& endpoint, OnMessage on_message,
                                                       OnClosed on_closed, std::chrono::milliseconds timeout) {
    std::shared_ptr<Impl> impl;
    if (endpoint.tls) impl = std::make_shared<Conn<TlsStream>>();
    else impl = std::make_shared<Conn<beast::tcp_stream>>();
    if (auto st = impl->handshake(endpoint, timeout); !st) return st.error();
    impl->on_message = std::move(on_message);
    impl->on_closed = std::move(on_closed);
    impl->read();
    impl->thread = std::thread([impl] { impl->ioc.run(); });
    return std::unique_ptr<WsTransport>(new WsTransport(impl));
}

Status WsTransport::send(std::string text) {
    if (impl_->ended) return make_error("unavailable", "the connection to coworkd is closed");
    asio::post(impl_->ioc, [impl = impl_, text = std::move(text)]() mutable {
        if (impl->ended) return;
        impl->outbox.push_back(std::move(text));
        if (!impl->writing) impl->write_front();
    });
    return ok_status();
}

void WsTransport::close() {
    std::call_once(impl_->close_once, [this] {
        asio::post(impl_->ioc, [impl = impl_] { impl->close_async(); });
        if (impl_->thread.joinable()) {
            if (impl_->thread.get_id() == std::this_thread::get_id()) impl_->thread.detach();
            else impl_->thread.join();
        }
    });
}

WsTransport::~WsTransport() { close(); }

}  // namespace cowork::kernel::remote
