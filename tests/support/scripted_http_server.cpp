#include "scripted_http_server.hpp"

#include "http_wire.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <list>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace cowork::testing {
namespace {

struct Route {
    std::string method, path;
    std::function<ScriptedResponse(const RecordedRequest&)> handler;
};

ScriptedResponse not_found(const RecordedRequest& r) {
    ScriptedResponse resp;
    resp.status = 404;
    resp.headers = {{"Content-Type", "application/json"}};
    resp.chunks = {R"({"error":"no scripted response for )" + r.method + " " + r.target + R"("})"};
    return resp;
}

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

int listen_loopback(uint16_t& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("ScriptedServer: socket() failed");
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 128) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("ScriptedServer: cannot listen on 127.0.0.1");
    }
    port = ntohs(addr.sin_port);
    return fd;
}

SSL_CTX* server_context(const TlsIdentity& tls) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    auto load = [&](const std::string& pem, bool key) {
        BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
        bool ok = false;
        if (key) {
            EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
            ok = pkey && SSL_CTX_use_PrivateKey(ctx, pkey) == 1;
            EVP_PKEY_free(pkey);
        } else {
            X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
            ok = cert && SSL_CTX_use_certificate(ctx, cert) == 1;
            X509_free(cert);
        }
        BIO_free(bio);
        return ok;
    };
    if (!ctx || !load(tls.cert_pem, false) || !load(tls.key_pem, true)) {
        SSL_CTX_free(ctx);
        throw std::runtime_error("ScriptedServer: bad TLS identity");
    }
    return ctx;
}

}  // namespace

class ScriptedServer::Impl {
public:
    explicit Impl(SSL_CTX* tls) : tls_(tls) {
        listen_fd_ = listen_loopback(port_);
        acceptor_ = std::thread([this] { accept_loop(); });
    }

    ~Impl() {
        stopper_.stop();
        ::shutdown(listen_fd_, SHUT_RDWR);
        acceptor_.join();
        {
            std::lock_guard lock(mutex_);
            for (auto* c : live_) c->shutdown_both();
        }
        for (auto& t : workers_) t.join();
        ::close(listen_fd_);
        if (tls_) SSL_CTX_free(tls_);
    }

    uint16_t port() const { return port_; }
    bool tls() const { return tls_ != nullptr; }

    void enqueue(ScriptedResponse r) {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(r));
    }
    void route(Route r) {
        std::lock_guard lock(mutex_);
        routes_.push_back(std::move(r));
    }
    std::vector<RecordedRequest> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    size_t connections() const {
        std::lock_guard lock(mutex_);
        return connections_;
    }

private:
    void accept_loop() {
        while (!stopper_.stopped()) {
            const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                return;  // shut down
            }
            const int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // chunks go out as written
            SSL* ssl = nullptr;
            if (tls_) {
                ssl = SSL_new(tls_);
                SSL_set_fd(ssl, fd);
            }
            std::lock_guard lock(mutex_);
            ++connections_;
            reap_finished();
            workers_.emplace_back([this, conn = std::make_shared<wire::Conn>(fd, ssl)] { serve(*conn); });
        }
    }

    void serve(wire::Conn& conn) {
        {
            std::lock_guard lock(mutex_);
            if (stopper_.stopped()) return;
            live_.push_back(&conn);
        }
        if (conn.handshake()) {
            wire::RequestReader reader(conn);
            while (auto request = reader.next()) {
                const ScriptedResponse response = answer(*request);
                const auto c = request->headers.find("connection");
                const bool close = c != request->headers.end() && wire::lower(c->second) == "close";
                if (!wire::write_response(conn, response, close, stopper_)) break;
            }
        }
        std::lock_guard lock(mutex_);
        live_.remove(&conn);
        finished_.push_back(std::this_thread::get_id());
    }

    // Joins workers that are done, so a long benchmark does not pile up
    // thousands of exited threads. Caller holds mutex_; a finished worker
    // no longer needs it.
    void reap_finished() {
        for (const auto id : finished_) {
            for (auto it = workers_.begin(); it != workers_.end(); ++it) {
                if (it->get_id() != id) continue;
                it->join();
                workers_.erase(it);
                break;
            }
        }
        finished_.clear();
    }

    ScriptedResponse answer(const RecordedRequest& request) {
        std::function<ScriptedResponse(const RecordedRequest&)> handler;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(request);
            for (const auto& r : routes_)
                if (r.method == request.method && r.path == path_of(request.target)) handler = r.handler;
            if (!handler && !queue_.empty()) {
                ScriptedResponse next = std::move(queue_.front());
                queue_.pop_front();
                return next;
            }
        }
        return handler ? handler(request) : not_found(request);  // handlers run unlocked: they may block
    }

    SSL_CTX* tls_;
    int listen_fd_ = -1;
    uint16_t port_ = 0;
    wire::Stopper stopper_;
    std::thread acceptor_;
    mutable std::mutex mutex_;
    std::deque<ScriptedResponse> queue_;
    std::vector<Route> routes_;
    std::vector<RecordedRequest> requests_;
    size_t connections_ = 0;
    std::list<wire::Conn*> live_;
    std::vector<std::thread> workers_;
    std::vector<std::thread::id> finished_;
};

ScriptedServer::ScriptedServer() : impl_(std::make_unique<Impl>(nullptr)) {}
ScriptedServer::ScriptedServer(TlsIdentity tls) : impl_(std::make_unique<Impl>(server_context(tls))) {}
ScriptedServer::~ScriptedServer() = default;

uint16_t ScriptedServer::port() const { return impl_->port(); }
std::string ScriptedServer::base_url() const {
    return std::string(impl_->tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}
void ScriptedServer::enqueue(ScriptedResponse r) { impl_->enqueue(std::move(r)); }
void ScriptedServer::route(std::string method, std::string path,
                           std::function<ScriptedResponse(const RecordedRequest&)> handler) {
    impl_->route({std::move(method), std::move(path), std::move(handler)});
}
std::vector<RecordedRequest> ScriptedServer::requests() const { return impl_->requests(); }
size_t ScriptedServer::connections() const { return impl_->connections(); }

}  // namespace cowork::testing
