// The one Beast translation unit of the plugin (toolchain.md §5: Beast is
// expensive to compile, so it stays behind http_server.hpp).
#include <utility>  // before asio: Boost 1.74 + C++20 needs std::exchange

#include "http_server.hpp"

#include "http_guard.hpp"
#include "rpc_error.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cowork_frontend/listener.hpp>

#include <deque>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

namespace cowork::mcp {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Connection;

struct HttpServer::Impl {
    const Settings& settings;
    const TokenBook& tokens;
    SessionTable& sessions;
    const Dispatcher& dispatcher;
    std::mutex mutex;
    std::set<std::weak_ptr<Connection>, std::owner_less<std::weak_ptr<Connection>>> connections;
    // Declared after what connections use: destroyed first.
    asio::io_context ioc{2};
    std::unique_ptr<tcp::acceptor> acceptor;
    std::vector<std::thread> threads;
    asio::thread_pool workers{4};

    Impl(const Settings& s, const TokenBook& t, SessionTable& st, const Dispatcher& d)
        : settings(s), tokens(t), sessions(st), dispatcher(d) {}
    void accept();
};

namespace {

constexpr auto kKeepAlive = std::chrono::seconds(15);  // SSE comment lines on idle GET streams

// Beast 1.74 hands out boost::string_view; the guards take std::string_view.
template <class Key>
std::string header_of(const http::request<http::string_body>& r, Key key) {
    const auto v = r[key];
    return std::string(v.data(), v.size());
}

std::string chunk(const std::string& data) {
    std::ostringstream out;
    out << std::hex << data.size() << "\r\n" << data << "\r\n";
    return out.str();
}

// Priming events carry empty data, which clients older than 2025-11-25 try
// to parse as JSON. So only sessions that negotiated 2025-11-25 or later get
// them, and with them polling (a client needs an event id to come back).
bool resumable_client(const Session& session, const Message& m) {
    const std::string version = m.method == "initialize" && m.params.is_object()
                                    ? m.params.value("protocolVersion", "")
                                    : session.protocol_version();
    return version >= "2025-11-25";  // ISO dates compare as strings
}

}  // namespace

// One TCP connection. Requests on it are served one after another; a POST
// answered with SSE or a GET stream holds it until the stream ends. All
// members are used on the connection's strand; kernel calls run on the
// server's worker pool and post their results back.
class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(HttpServer::Impl& srv, tcp::socket&& socket)
        : srv_(srv), stream_(std::move(socket)), keepalive_(stream_.get_executor()), poll_(stream_.get_executor()) {}

    void run() {
        {
            std::lock_guard lock(srv_.mutex);
            srv_.connections.insert(weak_from_this());
        }
        read();
    }

    // [any-thread]
    void shutdown() {
        asio::post(stream_.get_executor(), [self = shared_from_this()] {
            if (self->streaming_) self->end_stream();
            else self->teardown();
        });
    }

private:
    void read() {
        parser_.emplace();
        parser_->body_limit(srv_.settings.max_body);
        parser_->header_limit(16 * 1024);
        stream_.expires_after(srv_.settings.read_timeout);  // slow or silent clients are cut
        http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
            self->on_read(ec);
        });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::body_limit) {
            keep_alive_ = false;
            return respond(http::status::payload_too_large,
                           error(nullptr, kInvalidRequest,
                                 "request body larger than max_body (" + std::to_string(srv_.settings.max_body) + " bytes)"));
        }
        if (ec) return teardown();
        stream_.expires_never();
        req_ = parser_->release();
        keep_alive_ = req_.keep_alive();
        route();
    }

    void route() {
        const std::string target(req_.target());
        if (target.substr(0, target.find('?')) != srv_.settings.path)
            return respond(http::status::not_found, error(nullptr, kInvalidRequest, "not found; the MCP endpoint is " + srv_.settings.path));
        // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host/Origin.
        if (!host_allowed(header_of(req_, http::field::host), srv_.settings))
            return respond(http::status::forbidden, error(nullptr, kInvalidRequest, "Host header not allowed (allowed: localhost, 127.0.0.1, [::1], allowed_hosts)"));
        if (!origin_allowed(header_of(req_, http::field::origin), srv_.settings))
            return respond(http::status::forbidden, error(nullptr, kInvalidRequest, "Origin not allowed; add it to allowed_origins"));
        const auto token = bearer_token(header_of(req_, http::field::authorization));
        const auto who = token ? srv_.tokens.find(*token) : std::nullopt;
        if (!who)
            return respond(http::status::unauthorized,
                           error(nullptr, kInvalidRequest,
                                 token ? "invalid bearer token" : "missing bearer token: send Authorization: Bearer <token> (see docs/mcp.md)"),
                           {{"WWW-Authenticate", "Bearer realm=\"cowork-mcp\""}});
        identity_ = *who;
        const std::string version = header_of(req_, "MCP-Protocol-Version");
        if (!version.empty() && !supported_version(version))
            return respond(http::status::bad_request,
                           error(nullptr, kInvalidRequest, "unsupported MCP-Protocol-Version " + version + "; supported: 2025-11-25, 2025-06-18, 2025-03-26"));
        switch (req_.method()) {
        case http::verb::post: return post();
        case http::verb::get: return get();
        case http::verb::delete_: return del();
        default:
            return respond(http::status::method_not_allowed, error(nullptr, kInvalidRequest, "use POST, GET or DELETE"),
                           {{"Allow", "GET, POST, DELETE"}});
        }
    }

    // The session named by Mcp-Session-Id, answering 400/404 itself when there is none.
    std::shared_ptr<Session> session_or_respond() {
        const std::string id = header_of(req_, "Mcp-Session-Id");
        if (id.empty()) {
            respond(http::status::bad_request, error(nullptr, kInvalidRequest, "Mcp-Session-Id header required; send initialize first"));
            return nullptr;
        }
        auto s = srv_.sessions.find(id);
        // Another identity's session is as good as unknown.
        if (!s || s->identity().name != identity_.name) {
            respond(http::status::not_found, error(nullptr, kInvalidRequest, "unknown or expired session; initialize a new one"));
            return nullptr;
        }
        s->touch();
        return s;
    }

    void post() {
        const Json body = Json::parse(req_.body(), nullptr, false);
        if (body.is_discarded()) return respond(http::status::bad_request, error(nullptr, kParseError, "parse error: the body is not JSON"));
        Message m = classify(body);
        if (m.kind == Kind::invalid) return respond(http::status::bad_request, error(m.id, kInvalidRequest, "invalid request: " + m.problem));
        std::shared_ptr<Session> session;
        if (m.kind == Kind::request && m.method == "initialize") {
            session = srv_.sessions.create(identity_, srv_.settings.session_idle);
            if (!session)
                return respond(http::status::service_unavailable, error(m.id, kInternalError, "too many MCP sessions; end unused ones (DELETE) or raise max_sessions"));
            session->events().set_limits({srv_.settings.sse_replay_events, srv_.settings.sse_replay_bytes});
        } else if (!(session = session_or_respond())) {
            return;
        }
        if (m.kind != Kind::request) {
            (void)srv_.dispatcher.handle(*session, m, nullptr);
            return respond(http::status::accepted, nullptr, {{"Mcp-Session-Id", session->id()}});
        }
        const bool sse = header_of(req_, http::field::accept).find("text/event-stream") != std::string::npos;
        uint64_t stream = 0;
        if (sse) {
            const bool resumable = resumable_client(*session, m);
            stream = open_sse(session, /*request=*/true, resumable);
            if (resumable) arm_poll();
        }
        // An SSE reply goes through the session's event store: the call runs on
        // when the stream is closed (polling, or the client went away) and its
        // messages wait there for a GET with Last-Event-ID. A JSON reply holds
        // the connection: if the client hangs up, the reply's write fails.
        asio::post(srv_.workers, [self = shared_from_this(), session, m = std::move(m), sse, stream] {
            // With a JSON reply the only channel for related messages is the GET stream.
            Related relay = sse ? Related([session, stream](const Json& msg) { session->events().send(stream, msg); })
                                : Related([session](const Json& msg) { (void)session->push(msg); });
            std::optional<Json> reply = self->srv_.dispatcher.handle(*session, m, relay);
            if (sse) return session->events().finish(stream, reply ? *reply : Json());
            asio::post(self->stream_.get_executor(), [self, reply = std::move(reply), id = session->id()] {
                if (reply) {
                    self->respond(http::status::ok, *reply, {{"Mcp-Session-Id", id}});
                } else {
                    self->respond(http::status::accepted, nullptr, {{"Mcp-Session-Id", id}});
                }
            });
        });
    }

    void get() {
        if (header_of(req_, http::field::accept).find("text/event-stream") == std::string::npos)
            return respond(http::status::method_not_allowed, error(nullptr, kInvalidRequest, "GET opens an SSE stream: send Accept: text/event-stream"),
                           {{"Allow", "GET, POST, DELETE"}});
        auto session = session_or_respond();
        if (!session) return;
        const std::string last_event_id = header_of(req_, "Last-Event-ID");
        if (!last_event_id.empty()) return resume(session, last_event_id);
        open_sse(session, /*request=*/false, resumable_client(*session, Message{}));
        arm_keepalive();
    }

    // GET with Last-Event-ID: the rest of the stream that event belongs to
    // (a POST's, ending with its response, or a standalone GET stream).
    void resume(const std::shared_ptr<Session>& session, const std::string& last_event_id) {
        const uint64_t gen = ++stream_gen_;
        const auto r = session->events().resume(last_event_id, writer(gen));
        if (r.status == EventStore::Resume::unknown)
            return respond(http::status::bad_request,
                           error(nullptr, kInvalidRequest,
                                 "Last-Event-ID " + last_event_id + " names no stream of this session; "
                                 "re-send the request, or open the GET stream without Last-Event-ID"));
        if (r.status == EventStore::Resume::gap)
            return respond(http::status::bad_request,
                           error(nullptr, kInvalidRequest,
                                 "events after Last-Event-ID " + last_event_id + " were dropped (the session keeps " +
                                     std::to_string(srv_.settings.sse_replay_events) + " events / " +
                                     std::to_string(srv_.settings.sse_replay_bytes) +
                                     " bytes, see sse_replay_events); re-send the request"));
        attached_ = {session, r.stream, r.writer};
        if (!r.request_stream) attach_standalone(session, r.stream);
        begin_stream(session->id());  // replayed events are already queued behind this head
        arm_keepalive();
    }

    // Opens an SSE stream on this connection with a stream of the session's
    // event store behind it; a standalone (GET) one also takes the session's
    // server-initiated messages. Returns the store's stream id.
    uint64_t open_sse(const std::shared_ptr<Session>& session, bool request, bool prime) {
        const auto opened = session->events().open(writer(++stream_gen_), request);
        attached_ = {session, opened.stream, opened.writer};
        // Attach before the head goes out: a client that sees the head may
        // end the session at once, and that must reach this stream.
        if (!request) attach_standalone(session, opened.stream);
        begin_stream(session->id());
        if (prime)
            enqueue(chunk("id: " + opened.priming_id + "\nretry: " + std::to_string(srv_.settings.sse_retry.count()) +
                          "\ndata: \n\n"));
        return opened.stream;
    }

    void attach_standalone(const std::shared_ptr<Session>& session, uint64_t stream) {
        std::weak_ptr<Connection> weak = weak_from_this();
        std::weak_ptr<Session> weak_session = session;
        stream_session_ = session;
        stream_token_ = session->attach([weak, weak_session, stream](const Json& msg) {
            auto self = weak.lock();
            if (!self) return false;
            if (msg.is_null()) asio::post(self->stream_.get_executor(), [self] { self->end_stream(); });
            else if (auto s = weak_session.lock()) s->events().send(stream, msg);
            return true;
        });
    }

    // The store's side of this connection's current stream. `gen` tells a
    // late event of an earlier stream on this keep-alive connection apart.
    EventStore::Writer writer(uint64_t gen) {
        std::weak_ptr<Connection> weak = weak_from_this();
        return [weak, gen](const std::string& sse, bool end) {
            auto self = weak.lock();
            if (!self) return;
            asio::post(self->stream_.get_executor(), [self, gen, sse, end] {
                if (gen != self->stream_gen_ || !self->streaming_) return;
                if (end) self->end_stream();
                else self->enqueue(chunk(sse));
            });
        };
    }

    // SEP-1699 polling: after sse_poll_after_ms a POST's stream is closed
    // (not ended: its response has not come). The call runs on; what it
    // sends waits in the event store for the client's GET with Last-Event-ID.
    void arm_poll() {
        if (srv_.settings.sse_poll_after.count() == 0) return;
        poll_.expires_after(srv_.settings.sse_poll_after);
        poll_.async_wait([self = shared_from_this(), gen = stream_gen_](beast::error_code ec) {
            if (ec || gen != self->stream_gen_ || !self->streaming_) return;
            auto s = self->attached_.session.lock();
            if (!s || !s->events().detach(self->attached_.stream, self->attached_.writer)) return;  // the end is on its way
            self->enqueue(chunk("retry: " + std::to_string(self->srv_.settings.sse_retry.count()) + "\n\n"));
            self->end_stream();
        });
    }

    // Takes this connection off its event-store stream (idempotent).
    void release_events() {
        if (auto s = attached_.session.lock()) (void)s->events().detach(attached_.stream, attached_.writer);
        attached_ = {};
    }

    void del() {
        const std::string id = header_of(req_, "Mcp-Session-Id");
        if (id.empty()) return respond(http::status::bad_request, error(nullptr, kInvalidRequest, "Mcp-Session-Id header required"));
        auto s = srv_.sessions.find(id);
        if (!s || s->identity().name != identity_.name || !srv_.sessions.erase(id))
            return respond(http::status::not_found, error(nullptr, kInvalidRequest, "unknown or expired session"));
        respond(http::status::ok, nullptr);
    }

    // ---- writing ----

    void respond(http::status status, const Json& body, std::vector<std::pair<std::string, std::string>> headers = {}) {
        http::response<http::string_body> res(status, 11);
        res.set(http::field::server, "cowork-mcp");
        res.set(http::field::cache_control, "no-store");
        for (const auto& [k, v] : headers) res.set(k, v);
        if (!body.is_null()) {
            res.set(http::field::content_type, "application/json");
            res.body() = dump(body);
        }
        res.keep_alive(keep_alive_);
        res.prepare_payload();
        std::ostringstream out;
        out << res;
        enqueue(out.str());
        if (keep_alive_) done_ = Done::read_next;
        else done_ = Done::close;
        maybe_finish();
    }

    void begin_stream(const std::string& session_id) {
        streaming_ = true;
        std::string head = "HTTP/1.1 200 OK\r\nServer: cowork-mcp\r\nContent-Type: text/event-stream\r\n"
                           "Cache-Control: no-store\r\nTransfer-Encoding: chunked\r\nMcp-Session-Id: " + session_id + "\r\n";
        head += keep_alive_ ? "\r\n" : "Connection: close\r\n\r\n";
        enqueue(std::move(head));
    }

    void end_stream() {
        if (!streaming_) return;
        streaming_ = false;
        keepalive_.cancel();
        poll_.cancel();
        detach_session();
        release_events();
        enqueue("0\r\n\r\n");
        done_ = keep_alive_ ? Done::read_next : Done::close;
        maybe_finish();
    }

    void arm_keepalive() {
        keepalive_.expires_after(kKeepAlive);
        keepalive_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || !self->streaming_ || self->closed_) return;
            self->enqueue(chunk(": keepalive\n\n"));
            self->arm_keepalive();
        });
    }

    void enqueue(std::string bytes) {
        if (closed_) return;
        out_.push_back(std::move(bytes));
        if (!writing_) write_next();
    }

    void write_next() {
        writing_ = true;
        stream_.expires_after(srv_.settings.write_timeout);  // a client that stops reading is cut
        asio::async_write(stream_, asio::buffer(out_.front()), [self = shared_from_this()](beast::error_code ec, size_t) {
            self->writing_ = false;
            if (ec) return self->teardown();
            self->out_.pop_front();
            self->stream_.expires_never();
            if (!self->out_.empty()) return self->write_next();
            self->maybe_finish();
        });
    }

    // After the last queued byte of a response: read the next request or close.
    void maybe_finish() {
        if (writing_ || !out_.empty() || streaming_ || done_ == Done::nothing) return;
        const Done d = std::exchange(done_, Done::nothing);
        if (d == Done::read_next) return read();
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        teardown();
    }

    void detach_session() {
        if (auto s = stream_session_.lock()) s->detach(stream_token_);
        stream_session_.reset();
    }

    void teardown() {
        if (closed_) return;
        closed_ = true;
        streaming_ = false;
        keepalive_.cancel();
        poll_.cancel();
        detach_session();
        release_events();
        out_.clear();
        beast::error_code ec;
        stream_.socket().close(ec);
        std::lock_guard lock(srv_.mutex);
        srv_.connections.erase(weak_from_this());
    }

    enum class Done { nothing, read_next, close };

    HttpServer::Impl& srv_;
    beast::tcp_stream stream_;
    asio::steady_timer keepalive_;
    asio::steady_timer poll_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::request<http::string_body> req_;
    Identity identity_;
    std::deque<std::string> out_;
    std::weak_ptr<Session> stream_session_;
    uint64_t stream_token_ = 0;
    struct EventStream {
        std::weak_ptr<Session> session;
        uint64_t stream = 0, writer = 0;
    } attached_;
    uint64_t stream_gen_ = 0;
    bool keep_alive_ = true, writing_ = false, streaming_ = false, closed_ = false;
    Done done_ = Done::nothing;
};

void HttpServer::Impl::accept() {
    acceptor->async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
        if (!ec) {
            // An SSE reply is several small writes (head, priming event,
            // events, last chunk); with Nagle on, each waits out the client's
            // delayed ACK — 40 ms per streamed call, measured.
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            std::make_shared<Connection>(*this, std::move(socket))->run();
        }
        accept();
    });
}

HttpServer::HttpServer(const Settings& settings, const TokenBook& tokens, SessionTable& sessions, const Dispatcher& dispatcher)
    : impl_(std::make_shared<Impl>(settings, tokens, sessions, dispatcher)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    auto& i = *impl_;
    i.acceptor = frontend::open_listener(i.ioc, i.settings.bind, i.settings.port,
                                         "set port in [plugins.\"frontend.mcp-host\"] of cowork.toml, or 0 for a free port");
    i.accept();
    for (int n = 0; n < 2; ++n) i.threads.emplace_back([&i] { i.ioc.run(); });
}

void HttpServer::stop() {
    auto& i = *impl_;
    if (i.threads.empty()) return;
    asio::post(i.ioc, [&i] {
        beast::error_code ec;
        i.acceptor->close(ec);
    });
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(i.mutex);
        for (const auto& c : i.connections)
            if (auto p = c.lock()) open.push_back(p);
    }
    for (auto& c : open) c->shutdown();  // GET streams end cleanly with their last chunk
    open.clear();
    for (int n = 0; n < 20; ++n) {
        {
            std::lock_guard lock(i.mutex);
            if (i.connections.empty()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    i.workers.join();  // kernel calls in flight finish; their replies go nowhere
    i.ioc.stop();
    for (auto& t : i.threads) t.join();
    i.threads.clear();
}

unsigned short HttpServer::port() const {
    beast::error_code ec;
    return impl_->acceptor ? impl_->acceptor->local_endpoint(ec).port() : 0;
}

}  // namespace cowork::mcp
