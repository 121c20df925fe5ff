// End-to-end: the events the kernel adds for clients (config.changed,
// shutdown before close 1001) and TLS serving (wss://, plain clients refused).
#include "cp_daemon.hpp"
#include "remote/client.hpp"
#include "scripted_http_server.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

using cp_test::CpDaemon;
using cp_test::Json;
using cp_test::WsClient;
namespace e2e = cowork::e2e;
namespace fs = std::filesystem;
namespace remote = cowork::kernel::remote;

namespace {

const std::vector<std::string> kAdmin{"read", "write", "approve", "admin"};
const std::vector<std::string> kRead{"read"};

// Reads frames until the named event; null when the connection ends first.
Json wait_for_event(WsClient& c, const std::string& name) {
    for (const auto& e : c.events())
        if (e.value("event", "") == name) return e;
    while (auto f = c.recv(10000))
        if (f->value("type", "") == "event" && f->value("event", "") == name) return *f;
    return nullptr;
}

void write_private(const fs::path& file, const std::string& text) {
    std::ofstream(file) << text;
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace

TEST(ControlPlaneEvents, ConfigChangedReachesEveryClient) {
    CpDaemon d;
    ASSERT_TRUE(d.ok());
    auto admin = d.client("admin", kAdmin);
    auto reader = d.client("read", kRead);
    const Json r = admin->call("plugin.disable", {{"id", "tool.web"}});
    ASSERT_TRUE(r.value("ok", false)) << r.dump();
    for (WsClient* c : {admin.get(), reader.get()}) {
        const Json e = wait_for_event(*c, "config.changed");
        ASSERT_FALSE(e.is_null()) << "no config.changed event";
        EXPECT_EQ(e["payload"].value("pluginId", ""), "tool.web");
        EXPECT_EQ(e["payload"].value("enabled", true), false);
        EXPECT_EQ(e["payload"].value("key", ""), "plugins.tool.web.enabled");
    }
}

TEST(ControlPlaneEvents, ShutdownIsAnnouncedBeforeClose1001) {
    CpDaemon d;
    ASSERT_TRUE(d.ok());
    auto reader = d.client("read", kRead);
    ASSERT_EQ(::kill(d.daemon().pid(), SIGTERM), 0);
    const Json e = wait_for_event(*reader, "shutdown");
    ASSERT_FALSE(e.is_null()) << "closed (" << reader->close_code() << ") without a shutdown event";
    EXPECT_FALSE(e["payload"].value("reason", "").empty());
    int more_shutdowns = 0;
    while (auto f = reader->recv(10000)) more_shutdowns += f->value("event", "") == "shutdown";
    EXPECT_EQ(more_shutdowns, 0) << "announced once";
    EXPECT_EQ(reader->close_code(), 1001) << "the close follows the event";
    EXPECT_EQ(d.daemon().stop(SIGTERM), 0);
    EXPECT_FALSE(fs::exists(d.home().path() / "data/plugin-data/frontend.control-plane/listener.json"))
        << "a clean stop removes listener.json";
}

TEST(ControlPlaneTls, ServesWssOnLoopbackAndRefusesPlainClients) {
    const auto identity = cowork::testing::TlsIdentity::self_signed();
    e2e::Home scratch;
    const fs::path cert = scratch.path() / "cert.pem", key = scratch.path() / "key.pem";
    write_private(cert, identity.cert_pem);
    write_private(key, identity.key_pem);
    CpDaemon d(Json{{"tls_cert", cert.string()}, {"tls_key", key.string()}});
    ASSERT_TRUE(d.ok());
    ASSERT_EQ(d.url().rfind("wss://127.0.0.1:", 0), 0u) << d.url();
    const std::string port = std::to_string(d.port());

    // A TLS client pinned to the announced certificate completes the
    // handshake and gets the challenge.
    std::ifstream in(d.home().path() / "data/plugin-data/frontend.control-plane/listener.json");
    const Json listener = Json::parse(in);
    EXPECT_EQ(listener.value("tls", false), true);
    auto endpoint = remote::parse_ws_url(d.url());
    ASSERT_TRUE(endpoint);
    endpoint->cert_sha256 = listener.value("certSha256", "");
    ASSERT_EQ(endpoint->cert_sha256.size(), 64u);
    auto client = remote::Client::open(*endpoint, std::chrono::seconds(10));
    ASSERT_TRUE(client) << client.error().message;
    EXPECT_EQ((*client)->challenge().value("nonce", "").size(), 43u);
    auto pong = (*client)->call("ping", {{"echo", "tls"}});
    ASSERT_TRUE(pong) << pong.error().message;
    EXPECT_EQ(pong->value("echo", ""), "tls");

    // Another certificate than the announced one is refused by the client.
    endpoint->cert_sha256 = std::string(64, '0');
    EXPECT_FALSE(remote::Client::open(*endpoint, std::chrono::seconds(10)));

    // Plain WebSocket and plain HTTP to the TLS port get nothing.
    EXPECT_THROW(WsClient("ws://127.0.0.1:" + port + "/"), std::exception);
    EXPECT_THROW(cp_test::http_get("127.0.0.1", d.port(), "/health"), std::exception);

    // The CLI finds the wss:// listener and its pin in listener.json.
    const auto status = e2e::run({e2e::bin("cowork").string(), "status", "--remote", "--json"}, d.home());
    EXPECT_EQ(status.exit_code, 0) << status.err;
    EXPECT_TRUE(status.json().contains("version")) << status.out;
}

TEST(ControlPlaneTls, NonLoopbackWithoutTlsRefusesToStartNamingTheSettings) {
    CpDaemon d(Json{{"bind", "0.0.0.0"}});
    ASSERT_TRUE(d.daemon().ready()) << "the kernel runs; only the plugin refuses";
    EXPECT_TRUE(d.url().empty()) << "no listener";
    std::ifstream log(d.home().path() / "state/coworkd.log");
    const std::string text((std::istreambuf_iterator<char>(log)), {});
    EXPECT_NE(text.find("REFUSING TO START"), std::string::npos);
    EXPECT_NE(text.find("tls_cert"), std::string::npos);
    EXPECT_NE(text.find("tls_key"), std::string::npos);
}
