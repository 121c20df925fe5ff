#include "oauth/loopback_listener.hpp"

#include "oauth/encoding.hpp"

#include <cowork/sdk/error.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cowork::mcp::oauth {
namespace {

constexpr const char* kCallbackPath = "/callback";

// Reads the request head (up to 16 KiB, 5 s): enough for a redirect's query.
std::string read_head(int fd) {
    std::string head;
    char buf[2048];
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 16384) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
    }
    return head;
}

void answer(int fd, int status, const std::string& text) {
    const std::string body = "<!doctype html><meta charset=utf-8><title>CoWork</title><p>" + text + "</p>";
    const std::string reply = "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Not Found") +
                              "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n" + body;
    size_t sent = 0;
    while (sent < reply.size()) {
        const ssize_t n = ::send(fd, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
    }
}

}  // namespace

LoopbackListener::LoopbackListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw sdk::failed(std::string("cannot open the OAuth redirect listener: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;  // ephemeral (RFC 8252 §7.3: the server must accept any port)
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 4) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        throw sdk::failed("cannot listen on 127.0.0.1 for the OAuth redirect: " + why);
    }
    port_ = ntohs(addr.sin_port);
}

LoopbackListener::~LoopbackListener() {
    if (fd_ >= 0) ::close(fd_);
}

std::string LoopbackListener::redirect_uri() const { return "http://127.0.0.1:" + std::to_string(port_) + kCallbackPath; }

std::map<std::string, std::string> LoopbackListener::wait(std::chrono::steady_clock::time_point deadline,
                                                          const std::atomic<bool>* cancelled) {
    while (!(cancelled && *cancelled)) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 250))) <= 0) continue;
        const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        const std::string head = read_head(client);
        // "GET /callback?code=…&state=… HTTP/1.1"
        const auto sp1 = head.find(' ');
        const auto sp2 = sp1 == std::string::npos ? std::string::npos : head.find(' ', sp1 + 1);
        const std::string target = sp2 == std::string::npos ? "" : head.substr(sp1 + 1, sp2 - sp1 - 1);
        const auto q = target.find('?');
        const std::string path = target.substr(0, q);
        if (head.rfind("GET ", 0) != 0 || path != kCallbackPath) {
            answer(client, 404, "Not the CoWork authorization callback.");
            ::close(client);
            continue;
        }
        auto params = parse_query(q == std::string::npos ? "" : target.substr(q + 1));
        answer(client, 200,
               params.count("error") ? "Authorization was not granted. You can close this window."
                                     : "CoWork received the authorization. You can close this window.");
        ::close(client);
        return params;
    }
    throw sdk::Error(COWORK_E_TIMEOUT, "timeout",
                     "no authorization redirect arrived in time; run the login again and open the new URL");
}

}  // namespace cowork::mcp::oauth
