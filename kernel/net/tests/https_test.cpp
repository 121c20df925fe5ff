// HTTPS against the scripted server's in-process CA: trusted through the
// explicit CA option or SSL_CERT_FILE, refused ("tls") otherwise.
#include "net/http_client.hpp"

#include "support/scripted_http_server.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace cowork::kernel::net;
using cowork::testing::ScriptedResponse;
using cowork::testing::ScriptedServer;
using cowork::testing::TlsIdentity;

namespace {

ScriptedResponse ok_body(std::string body) {
    ScriptedResponse r;
    r.chunks = {std::move(body)};
    return r;
}

HttpRequest get(const ScriptedServer& s) {
    HttpRequest r;
    r.url = s.base_url() + "/secure";
    return r;
}

// Points SSL_CERT_FILE at a file for the lifetime of the object.
struct CertFileEnv {
    std::filesystem::path file;
    explicit CertFileEnv(const std::string& pem)
        : file(std::filesystem::temp_directory_path() / ("cowork-net-ca-" + std::to_string(::getpid()) + ".pem")) {
        std::ofstream(file) << pem;
        ::setenv("SSL_CERT_FILE", file.c_str(), 1);
    }
    ~CertFileEnv() {
        ::unsetenv("SSL_CERT_FILE");
        std::filesystem::remove(file);
    }
};

}  // namespace

TEST(Https, TrustedThroughExplicitCa) {
    const auto id = TlsIdentity::self_signed();
    ScriptedServer server(id);
    ASSERT_EQ(server.base_url().rfind("https://", 0), 0u);
    server.enqueue(ok_body("secret stuff"));
    HttpClient client(ClientOptions{.extra_ca_pem = id.ca_pem, .system_ca = false});
    auto r = client.fetch(get(server));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "secret stuff");
}

TEST(Https, TrustedThroughSslCertFile) {
    const auto id = TlsIdentity::self_signed();
    ScriptedServer server(id);
    ScriptedResponse chunked = ok_body("streamed over tls");
    chunked.chunked = true;
    server.enqueue(chunked);
    CertFileEnv env(id.ca_pem);
    HttpClient client;  // system store, which honours SSL_CERT_FILE
    std::string got;
    auto r = client.fetch(get(server), [&](std::string_view c) { got += c; });
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(got, "streamed over tls");
}

TEST(Https, UntrustedCertificateFailsWithTls) {
    ScriptedServer server(TlsIdentity::self_signed());
    server.enqueue(ok_body("never"));
    const auto other = TlsIdentity::self_signed();  // a different CA
    HttpClient client(ClientOptions{.extra_ca_pem = other.ca_pem, .system_ca = false});
    auto r = client.fetch(get(server));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "tls");
    EXPECT_NE(r.error().message.find("certificate verify failed for 127.0.0.1"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("SSL_CERT_FILE"), std::string::npos);
}

TEST(Https, HostNameIsVerifiedWithSni) {
    const auto id = TlsIdentity::self_signed();  // SAN DNS:localhost too
    ScriptedServer server(id);
    server.enqueue(ok_body("by name"));
    HttpClient client(ClientOptions{.extra_ca_pem = id.ca_pem, .system_ca = false});
    HttpRequest req;
    req.url = "https://localhost:" + std::to_string(server.port()) + "/";
    auto r = client.fetch(req);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->body, "by name");
}

TEST(Https, StalledHandshakeEndsAtTheConnectTimeout) {
    ScriptedServer plain;  // reads the ClientHello as a request line and never answers
    HttpClient client;
    HttpRequest req;
    req.url = "https://127.0.0.1:" + std::to_string(plain.port()) + "/";
    req.connect_timeout = std::chrono::milliseconds(300);
    auto r = client.fetch(req);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "timeout") << r.error().message;
    EXPECT_NE(r.error().message.find("TLS handshake"), std::string::npos) << r.error().message;
}
