// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include "cdp_connection.hpp"

#include <cowork_tools/tool_failure.hpp>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace cowork::browser {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using tools::ToolFailure;

namespace {

// Base64 screenshots of long pages are large; Beast's default cap is 16 MB.
constexpr size_t kMaxMessage = 256u * 1024 * 1024;

struct WsTarget {
    std::string host, port, path;
};

WsTarget split_ws_url(const std::string& url) {
    const std::string prefix = "ws://";
    if (url.rfind(prefix, 0) != 0) throw ToolFailure("DevTools URL must start with ws://: " + url);
    const auto slash = url.find('/', prefix.size());
    const std::string authority = url.substr(prefix.size(), slash == std::string::npos ? std::string::npos : slash - prefix.size());
    const auto colon = authority.rfind(':');
    if (colon == std::string::npos) throw ToolFailure("DevTools URL has no port: " + url);
    return {authority.substr(0, colon), authority.substr(colon + 1), slash == std::string::npos ? "/" : url.substr(slash)};
}

// A pending call: filled by the I/O thread, awaited by the caller.
struct Pending {
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    Json reply;
    std::string failure;
};

}  // namespace

struct CdpConnection::Impl {
    asio::io_context io;
    websocket::stream<beast::tcp_stream> ws{io};
    beast::flat_buffer buffer;
    std::deque<std::string> outbox;  // I/O thread only
    EventHandler on_event;
    std::thread thread;
    std::atomic<bool> open{false};
    std::atomic<int64_t> next_id{0};
    std::mutex pending_mutex;
    std::map<int64_t, std::shared_ptr<Pending>> pending;

    void start_read() {
        ws.async_read(buffer, [this](beast::error_code ec, size_t) {
            if (ec) return fail_all("DevTools connection closed: " + ec.message());
            const std::string text = beast::buffers_to_string(buffer.data());
            buffer.consume(buffer.size());
            dispatch(text);
            start_read();
        });
    }

    void dispatch(const std::string& text) {
        Json msg = Json::parse(text, nullptr, false);
        if (!msg.is_object()) return;
        if (msg.contains("id")) {
            std::shared_ptr<Pending> p;
            {
                std::lock_guard lock(pending_mutex);
                auto it = pending.find(msg["id"].get<int64_t>());
                if (it == pending.end()) return;  // a send() reply, or a call that timed out
                p = it->second;
                pending.erase(it);
            }
            std::lock_guard lock(p->mutex);
            if (msg.contains("error")) p->failure = msg["error"].value("message", std::string("error")) +
                                                    (msg["error"].contains("data") ? " (" + msg["error"]["data"].dump() + ")" : "");
            else p->reply = std::move(msg["result"]);
            p->done = true;
            p->cv.notify_all();
            return;
        }
        if (msg.contains("method") && on_event) {
            try {
                on_event(msg["method"].get<std::string>(), msg.value("params", Json::object()), msg.value("sessionId", ""));
            } catch (...) {
                // A broken handler must not kill the reader.
            }
        }
    }

    void fail_all(const std::string& why) {
        open = false;
        std::map<int64_t, std::shared_ptr<Pending>> failed;
        {
            std::lock_guard lock(pending_mutex);
            failed.swap(pending);
        }
        for (auto& [id, p] : failed) {
            std::lock_guard lock(p->mutex);
            p->failure = why;
            p->done = true;
            p->cv.notify_all();
        }
    }

    // Writes go through the I/O thread one at a time (Beast allows one
    // outstanding write per stream).
    void enqueue(std::string text) {
        asio::post(io, [this, text = std::move(text)]() mutable {
            outbox.push_back(std::move(text));
            if (outbox.size() == 1) write_next();
        });
    }

    void write_next() {
        ws.async_write(asio::buffer(outbox.front()), [this](beast::error_code ec, size_t) {
            if (ec) {
                outbox.clear();
                return fail_all("DevTools write failed: " + ec.message());
            }
            outbox.pop_front();
            if (!outbox.empty()) write_next();
        });
    }

    std::string frame(int64_t id, const std::string& method, const Json& params, const std::string& session) {
        Json msg{{"id", id}, {"method", method}, {"params", params.is_null() ? Json::object() : params}};
        if (!session.empty()) msg["sessionId"] = session;
        return msg.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
};

CdpConnection::CdpConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::unique_ptr<CdpConnection> CdpConnection::connect(const std::string& ws_url, EventHandler on_event,
                                                      std::chrono::milliseconds timeout) {
    const WsTarget target = split_ws_url(ws_url);
    auto impl = std::make_unique<Impl>();
    impl->on_event = std::move(on_event);
    beast::error_code result = asio::error::timed_out;
    // Connect and handshake asynchronously, bounded by run_for: a peer that
    // accepts and never answers cannot hang the caller.
    tcp::resolver resolver(impl->io);
    resolver.async_resolve(target.host, target.port, [&](beast::error_code ec, tcp::resolver::results_type results) {
        if (ec) return void(result = ec);
        beast::get_lowest_layer(impl->ws).async_connect(results, [&](beast::error_code ec2, const tcp::endpoint&) {
            if (ec2) return void(result = ec2);
            impl->ws.async_handshake(target.host + ":" + target.port, target.path,
                                     [&](beast::error_code ec3) { result = ec3; });
        });
    });
    impl->io.run_for(timeout);
    if (result) throw ToolFailure("cannot connect to DevTools at " + ws_url + ": " + result.message());
    impl->io.restart();
    impl->ws.read_message_max(kMaxMessage);
    impl->ws.auto_fragment(false);
    impl->open = true;
    impl->start_read();
    Impl* raw = impl.get();
    raw->thread = std::thread([raw] {
        try {
            raw->io.run();
        } catch (...) {
            raw->fail_all("DevTools I/O thread failed");
        }
    });
    return std::unique_ptr<CdpConnection>(new CdpConnection(std::move(impl)));
}

CdpConnection::~CdpConnection() { close(); }

Json CdpConnection::call(const std::string& method, const Json& params, const std::string& session,
                         std::chrono::milliseconds timeout) {
    if (!impl_->open) throw ToolFailure("the DevTools connection is closed (" + method + ")");
    const int64_t id = ++impl_->next_id;
    auto p = std::make_shared<Pending>();
    {
        std::lock_guard lock(impl_->pending_mutex);
        impl_->pending[id] = p;
    }
    impl_->enqueue(impl_->frame(id, method, params, session));
    std::unique_lock lock(p->mutex);
    if (!p->cv.wait_for(lock, timeout, [&] { return p->done; })) {
        lock.unlock();
        std::lock_guard plock(impl_->pending_mutex);
        impl_->pending.erase(id);
        throw ToolFailure(method + " timed out after " + std::to_string(timeout.count()) + " ms");
    }
    if (!p->failure.empty()) throw ToolFailure(method + ": " + p->failure);
    return std::move(p->reply);
}

void CdpConnection::send(const std::string& method, const Json& params, const std::string& session) {
    if (!impl_->open) return;
    impl_->enqueue(impl_->frame(++impl_->next_id, method, params, session));
}

bool CdpConnection::is_open() const { return impl_->open; }

void CdpConnection::close() {
    if (!impl_ || !impl_->thread.joinable()) return;
    // Closing the TCP stream aborts the pending read; the I/O thread then
    // runs out of work and returns.
    asio::post(impl_->io, [impl = impl_.get()] {
        beast::error_code ec;
        beast::get_lowest_layer(impl->ws).socket().shutdown(tcp::socket::shutdown_both, ec);
        beast::get_lowest_layer(impl->ws).close();
    });
    impl_->thread.join();
    impl_->fail_all("DevTools connection closed");
}

std::string discover_ws_url(const std::string& host, const std::string& port, std::chrono::milliseconds timeout) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    beast::flat_buffer buffer;
    http::request<http::empty_body> req{http::verb::get, "/json/version", 11};
    req.set(http::field::host, host + ":" + port);
    http::response<http::string_body> res;
    beast::error_code result = asio::error::timed_out;
    tcp::resolver resolver(io);
    stream.expires_after(timeout);
    resolver.async_resolve(host, port, [&](beast::error_code ec, tcp::resolver::results_type results) {
        if (ec) return void(result = ec);
        stream.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint&) {
            if (ec2) return void(result = ec2);
            http::async_write(stream, req, [&](beast::error_code ec3, size_t) {
                if (ec3) return void(result = ec3);
                http::async_read(stream, buffer, res, [&](beast::error_code ec4, size_t) { result = ec4; });
            });
        });
    });
    io.run_for(timeout);
    if (result) throw ToolFailure("cannot read http://" + host + ":" + port + "/json/version: " + result.message());
    const Json body = Json::parse(res.body(), nullptr, false);
    if (!body.is_object() || !body.contains("webSocketDebuggerUrl"))
        throw ToolFailure("http://" + host + ":" + port + "/json/version has no webSocketDebuggerUrl");
    return body["webSocketDebuggerUrl"].get<std::string>();
}

}  // namespace cowork::browser
