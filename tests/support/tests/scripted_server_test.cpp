// The scripted server's own contract, spoken to over a raw socket: keep-alive,
// Connection: close, routes before the queue, 404 JSON when nothing matches,
// chunked framing, request bodies recorded.
#include "support/scripted_http_server.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace cowork::testing;

namespace {

struct RawClient {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    explicit RawClient(uint16_t port) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    }
    ~RawClient() { ::close(fd); }
    void send(const std::string& s) { ASSERT_EQ(::send(fd, s.data(), s.size(), 0), static_cast<ssize_t>(s.size())); }
    // Reads until `marker` has been seen `count` times or the peer closes.
    std::string read_until(const std::string& marker, int count = 1) {
        std::string got;
        char buf[4096];
        auto seen = [&] {
            int n = 0;
            for (size_t p = got.find(marker); p != std::string::npos; p = got.find(marker, p + 1)) ++n;
            return n;
        };
        while (seen() < count) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) break;
            got.append(buf, static_cast<size_t>(n));
        }
        return got;
    }
    bool closed_by_peer() {
        char c;
        return ::recv(fd, &c, 1, 0) == 0;
    }
};

ScriptedResponse reply(std::string body, bool chunked = false) {
    ScriptedResponse r;
    r.chunks = {std::move(body)};
    r.chunked = chunked;
    return r;
}

}  // namespace

TEST(ScriptedServer, KeepAliveServesSeveralRequestsOnOneConnection) {
    ScriptedServer server;
    server.enqueue(reply("first"));
    server.enqueue(reply("second", true));
    RawClient c(server.port());
    c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    const std::string got = c.read_until("\r\n0\r\n\r\n");
    EXPECT_NE(got.find("Content-Length: 5\r\n\r\nfirst"), std::string::npos) << got;
    EXPECT_NE(got.find("Transfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n"), std::string::npos) << got;
    const auto seen = server.requests();
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[1].method, "POST");
    EXPECT_EQ(seen[1].body, "abc");
    EXPECT_EQ(seen[1].headers.at("content-length"), "3");
    EXPECT_EQ(server.connections(), 1u);
}

TEST(ScriptedServer, ConnectionCloseEndsTheConnection) {
    ScriptedServer server;
    server.enqueue(reply("bye"));
    RawClient c(server.port());
    c.send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    EXPECT_NE(c.read_until("bye").find("bye"), std::string::npos);
    EXPECT_TRUE(c.closed_by_peer());
}

TEST(ScriptedServer, RoutesWinOverTheQueueAndUnmatchedIs404Json) {
    ScriptedServer server;
    server.enqueue(reply("queued"));
    server.route("GET", "/r", [](const RecordedRequest& r) { return reply("routed " + r.target); });
    RawClient c(server.port());
    c.send("GET /r?q=1 HTTP/1.1\r\n\r\nGET /x HTTP/1.1\r\n\r\nGET /y HTTP/1.1\r\n\r\n");
    const std::string got = c.read_until(R"(GET /y"})");  // the last body; keep-alive never closes
    EXPECT_NE(got.find("routed /r?q=1"), std::string::npos) << got;
    EXPECT_NE(got.find("queued"), std::string::npos) << got;
    EXPECT_NE(got.find("HTTP/1.1 404"), std::string::npos) << got;
    EXPECT_NE(got.find(R"({"error":"no scripted response for GET /y"})"), std::string::npos) << got;
}

TEST(ScriptedServer, TlsIdentityHasPemParts) {
    const auto id = TlsIdentity::self_signed();
    EXPECT_NE(id.cert_pem.find("BEGIN CERTIFICATE"), std::string::npos);
    EXPECT_NE(id.key_pem.find("PRIVATE KEY"), std::string::npos);
    EXPECT_NE(id.ca_pem.find("BEGIN CERTIFICATE"), std::string::npos);
    EXPECT_NE(id.ca_pem, id.cert_pem);
    ScriptedServer tls(id);
    EXPECT_EQ(tls.base_url(), "https://127.0.0.1:" + std::to_string(tls.port()));
}
