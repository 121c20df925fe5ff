// End-to-end: the real coworkd loads frontend.control-plane (enabled with the
// real CLI, configured through cowork.toml) and the tests talk WebSocket to it.
#include "cp_daemon.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

using cp_test::CpDaemon;
using cp_test::Identity;
using cp_test::Json;
using cp_test::WsClient;
namespace e2e = cowork::e2e;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kAdmin{"read", "write", "approve", "admin"};
const std::vector<std::string> kOperator{"read", "write", "approve"};
const std::vector<std::string> kRead{"read"};

bool has_key_anywhere(const Json& j, const std::string& key) {
    if (j.is_object()) {
        if (j.contains(key)) return true;
        for (const auto& [k, v] : j.items())
            if (has_key_anywhere(v, key)) return true;
    }
    if (j.is_array())
        for (const auto& v : j)
            if (has_key_anywhere(v, key)) return true;
    return false;
}

}  // namespace

TEST(ControlPlane, HealthHandshakeHelloAndForwardedMethods) {
    CpDaemon d(Json{{"allowed_origins", {"http://ui.local"}}});
    ASSERT_TRUE(d.ok());
    const std::string health = cp_test::http_get("127.0.0.1", d.port(), "/health");
    EXPECT_EQ(health.substr(0, 4), "200 ");
    EXPECT_NE(health.find("\"ok\":true"), std::string::npos);

    const Identity id = Identity::generate();
    const std::string dev = d.pair(id, "operator", "laptop");
    ASSERT_FALSE(dev.empty());
    WsClient c(d.url());
    const Json& ch = c.challenge();
    EXPECT_EQ(ch["payload"]["nonce"].get<std::string>().size(), 43u);
    const Json hello = c.connect(dev, id, "operator", kOperator);
    ASSERT_TRUE(hello.value("ok", false)) << hello.dump();
    const Json& h = hello["payload"];
    EXPECT_EQ(h["clientId"], "device:" + dev);
    EXPECT_EQ(h["role"], "operator");
    EXPECT_EQ(h["scopes"], Json(kOperator));
    EXPECT_FALSE(h["server"].value("version", "").empty());
    EXPECT_GT(h["limits"].value("maxPayload", 0), 0);
    EXPECT_GT(h["limits"].value("heartbeatMs", 0), 0);

    const Json status = c.call("status");
    EXPECT_TRUE(status.value("ok", false)) << status.dump();
    EXPECT_TRUE(status["payload"].contains("version"));
    const Json pong = c.call("ping", {{"echo", "x"}});
    EXPECT_EQ(pong["payload"]["echo"], "x");
    const Json unknown = c.call("nosuch.method");
    EXPECT_EQ(unknown["error"]["code"], "UNKNOWN_METHOD");

    EXPECT_THROW(WsClient(d.url(), "http://evil.example"), std::exception) << "foreign Origin refused";
    WsClient allowed(d.url(), "http://ui.local");
    EXPECT_EQ(allowed.challenge()["event"], "connect.challenge");
}

TEST(ControlPlane, UnknownDeviceBadSignatureAndReplayedNonceAreRefused) {
    CpDaemon d;
    ASSERT_TRUE(d.ok());
    const Identity stranger = Identity::generate();
    {
        WsClient c(d.url());
        const Json r = c.connect("d00000000000000000000", stranger, "operator", kOperator);
        EXPECT_EQ(r["error"]["code"], "UNAUTHORIZED");
        EXPECT_FALSE(c.recv());
        EXPECT_EQ(c.close_code(), 4001);
    }
    const Identity id = Identity::generate();
    const std::string dev = d.pair(id, "operator");
    {
        WsClient c(d.url());
        const Json r = c.connect(dev, stranger, "operator", kOperator);  // signed by the wrong key
        EXPECT_EQ(r["error"]["code"], "UNAUTHORIZED");
        EXPECT_FALSE(c.recv());
        EXPECT_EQ(c.close_code(), 4001);
    }
    {
        WsClient first(d.url());
        const Json& ch = first.challenge()["payload"];
        const Json params{{"deviceId", dev}, {"nonce", ch["nonce"]}, {"ts", ch["ts"]}, {"role", "operator"},
                          {"scopes", kOperator},
                          {"signature", id.sign(cp_test::signed_string(ch["nonce"], ch["ts"], "operator", kOperator))}};
        first.send({{"type", "req"}, {"id", 1}, {"method", "connect"}, {"params", params}});
        EXPECT_TRUE(first.response(1).value("ok", false));
        WsClient replay(d.url());  // a captured frame, replayed on a new connection
        replay.challenge();
        replay.send({{"type", "req"}, {"id", 1}, {"method", "connect"}, {"params", params}});
        EXPECT_EQ(replay.response(1)["error"]["code"], "UNAUTHORIZED");
        EXPECT_FALSE(replay.recv());
        EXPECT_EQ(replay.close_code(), 4001);
    }
}

TEST(ControlPlane, ExpiredNonceIsRefused) {
    CpDaemon d(Json{{"nonce_ttl_ms", 100}});
    ASSERT_TRUE(d.ok());
    const Identity id = Identity::generate();
    const std::string dev = d.pair(id, "read");
    WsClient c(d.url());
    c.challenge();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    const Json r = c.connect(dev, id, "read", kRead);
    EXPECT_EQ(r["error"]["code"], "UNAUTHORIZED");
    EXPECT_NE(r["error"].value("message", "").find("expired"), std::string::npos) << r.dump();
    EXPECT_FALSE(c.recv());
    EXPECT_EQ(c.close_code(), 4001);
}

TEST(ControlPlane, PairingNeedsTheOperatorTokenAndRoleCannotBeRaised) {
    CpDaemon d;
    ASSERT_TRUE(d.ok());
    const Identity id = Identity::generate();
    {
        WsClient c(d.url());
        const Json r = c.call("devices.pair", {{"token", "wrong"}, {"publicKey", id.public_key}, {"name", "x"}});
        EXPECT_EQ(r["error"]["code"], "UNAUTHORIZED");
        EXPECT_FALSE(c.recv());
        EXPECT_EQ(c.close_code(), 4001);
    }
    const std::string dev = d.pair(id, "read");
    WsClient c(d.url());
    const Json r = c.connect(dev, id, "admin", kAdmin);  // a read device asking for admin
    EXPECT_EQ(r["error"]["code"], "UNAUTHORIZED");
}

TEST(ControlPlane, ScopesAreEnforcedPerMethodAndUnauthenticatedCallsAreRefused) {
    CpDaemon d;
    ASSERT_TRUE(d.ok());
    {
        WsClient anon(d.url());
        EXPECT_EQ(anon.call("status")["error"]["code"], "UNAUTHORIZED");
        EXPECT_TRUE(anon.call("ping").value("ok", false)) << "still open after a refused call";
    }
    auto reader = d.client("read", kRead);
    const Json create = reader->call("task.create", {{"prompt", "hi"}, {"workspace", "/tmp"}}, "k1");
    EXPECT_EQ(create["error"]["code"], "UNAUTHORIZED");
    EXPECT_EQ(create["error"]["details"]["missingScope"], "write");
    EXPECT_EQ(reader->call("devices.list")["error"]["details"]["missingScope"], "admin");
    EXPECT_EQ(reader->call("approval.respond", {{"approvalId", "a"}, {"decision", "approve"}})["error"]["details"]["missingScope"],
              "approve");
    EXPECT_TRUE(reader->call("status").value("ok", false));
    auto admin = d.client("admin", kAdmin);
    const Json list = admin->call("devices.list");
    ASSERT_TRUE(list.value("ok", false)) << list.dump();
    EXPECT_GE(list["payload"]["devices"].size(), 2u);
}

TEST(ControlPlane, ReadClientsGetRedactedTasksAndIdempotencyKeysDedupe) {
    CpDaemon d(Json::object(), /*fixtures=*/true);
    ASSERT_TRUE(d.ok());
    const fs::path ws = d.home().path() / "ws";
    fs::create_directories(ws);
    auto op = d.client("operator", kOperator);
    ASSERT_TRUE(op->call("workspace.create", {{"path", ws.string()}}, "ws-key").value("ok", false));
    // No title: the kernel derives one from the prompt's first line, and a
    // derived title must be redacted for readers like the prompt itself.
    const Json params{{"prompt", "the secret prompt"}, {"workspace", ws.string()}, {"provider", "llm.scripted"}};
    const Json a = op->call("task.create", params, "same-key");
    ASSERT_TRUE(a.value("ok", false)) << a.dump();
    const Json b = op->call("task.create", params, "same-key");
    ASSERT_TRUE(b.value("ok", false)) << b.dump();
    EXPECT_EQ(a["payload"]["id"], b["payload"]["id"]);
    EXPECT_TRUE(b.value("deduplicated", false));
    const Json full = op->call("task.list");
    ASSERT_TRUE(full.value("ok", false));
    EXPECT_EQ(full["payload"].size(), 1u) << "one task despite two creates";
    EXPECT_TRUE(has_key_anywhere(full["payload"], "prompt"));

    auto reader = d.client("read", kRead);
    const Json tasks = reader->call("task.list");
    ASSERT_TRUE(tasks.value("ok", false));
    ASSERT_EQ(tasks["payload"].size(), 1u);
    EXPECT_FALSE(has_key_anywhere(tasks["payload"], "prompt"));
    EXPECT_EQ(tasks.dump().find("the secret prompt"), std::string::npos);
    const Json wss = reader->call("workspace.list");
    ASSERT_TRUE(wss.value("ok", false));
    EXPECT_EQ(wss.dump().find(ws.string()), std::string::npos) << "no local paths for read clients";
}

TEST(ControlPlane, MalformedFramesGetInvalidFrameWithoutClosingAndOversizeCloses) {
    CpDaemon d(Json{{"max_payload", 4096}});
    ASSERT_TRUE(d.ok());
    auto c = d.client("read", kRead);
    c->send_text("this is not json");
    EXPECT_EQ(c->response(nullptr)["error"]["code"], "INVALID_FRAME");
    c->send_binary("\x01\x02");
    EXPECT_EQ(c->response(nullptr)["error"]["code"], "INVALID_FRAME");
    c->send(Json{{"type", "req"}, {"id", 5}});
    EXPECT_EQ(c->response(5)["error"]["code"], "INVALID_FRAME");
    EXPECT_TRUE(c->call("ping").value("ok", false)) << "the connection survives bad frames";
    c->send(Json{{"type", "req"}, {"id", 6}, {"method", "ping"}, {"params", {{"echo", std::string(10000, 'x')}}}});
    EXPECT_FALSE(c->recv());
    EXPECT_EQ(c->close_code(), 1009);
}

TEST(ControlPlane, ThousandPipelinedRequestsAreAnsweredInOrder) {
    CpDaemon d;
    ASSERT_TRUE(d.ok());
    auto c = d.client("read", kRead);
    for (int i = 0; i < 1000; ++i) c->send(Json{{"type", "req"}, {"id", i}, {"method", i % 2 ? "ping" : "health"}});
    for (int i = 0; i < 1000; ++i) {
        auto f = c->recv();
        ASSERT_TRUE(f);
        if ((*f)["type"] == "event") { --i; continue; }
        ASSERT_EQ((*f)["id"], i);
        ASSERT_TRUE(f->value("ok", false)) << f->dump();
    }
}

TEST(ControlPlane, HundredConcurrentClients) {
    CpDaemon d;
    ASSERT_TRUE(d.ok());
    const Identity id = Identity::generate();
    const std::string dev = d.pair(id, "read");
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            std::vector<std::unique_ptr<WsClient>> mine;
            for (int i = 0; i < 25; ++i) {
                mine.push_back(std::make_unique<WsClient>(d.url()));
                if (!mine.back()->connect(dev, id, "read", kRead).value("ok", false)) return;
            }
            for (auto& c : mine)
                for (int k = 0; k < 5; ++k)
                    if (c->call("ping").value("ok", false)) ++ok;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 100 * 5);
}

TEST(ControlPlane, AStalledClientIsDroppedWithoutStallingOthers) {
    CpDaemon d(Json{{"send_queue_bytes", 65536}, {"send_queue_frames", 100}, {"stall_timeout_ms", 300}});
    ASSERT_TRUE(d.ok());
    const Identity id = Identity::generate();
    const std::string dev = d.pair(id, "read");
    WsClient stalled(d.url(), "", 4096);
    ASSERT_TRUE(stalled.connect(dev, id, "read", kRead).value("ok", false));
    auto healthy = d.client("read", kRead);
    const std::string pad(32 * 1024, 'p');
    bool send_failed = false;
    try {
        for (int i = 0; i < 600; ++i) {
            stalled.send(Json{{"type", "req"}, {"id", i}, {"method", "ping"}, {"params", {{"echo", pad}}}});
            if (i % 50 == 0) {
                EXPECT_TRUE(healthy->call("ping").value("ok", false)) << "others keep getting answers";
            }
        }
    } catch (const std::exception&) {
        send_failed = true;  // the server cut the connection while we were writing
    }
    EXPECT_TRUE(healthy->call("status").value("ok", false));
    // Drain what reached us before the cut: the stream must end, not hang.
    bool ended = send_failed;
    for (int n = 0; !ended && n < 2000; ++n) {
        try {
            ended = !stalled.recv(5000);
        } catch (const std::exception&) {
            ended = true;
        }
    }
    EXPECT_TRUE(ended) << "the stalled client was disconnected";
}

TEST(ControlPlane, FiveFailedAuthsBanTheAddress) {
    CpDaemon d;
    ASSERT_TRUE(d.ok());
    for (int i = 0; i < 5; ++i) {
        WsClient c(d.url());
        c.call("devices.pair", {{"token", "guess" + std::to_string(i)}, {"publicKey", "x"}, {"name", "x"}});
        EXPECT_FALSE(c.recv());
        EXPECT_EQ(c.close_code(), 4001);
    }
    WsClient banned(d.url());
    EXPECT_FALSE(banned.recv()) << "no challenge for a banned address";
    EXPECT_EQ(banned.close_code(), 4029);
}

TEST(ControlPlane, HandshakeTimeoutCloses) {
    CpDaemon d(Json{{"handshake_timeout_ms", 200}});
    ASSERT_TRUE(d.ok());
    WsClient c(d.url());
    c.challenge();
    EXPECT_FALSE(c.recv(10000));
    EXPECT_EQ(c.close_code(), 4002);
}

TEST(ControlPlane, RevokedDevicesAreDisconnectedAndRefused) {
    CpDaemon d;
    ASSERT_TRUE(d.ok());
    auto admin = d.client("admin", kAdmin);
    const Identity id = Identity::generate();
    const std::string dev = d.pair(id, "operator", "phone");
    WsClient victim(d.url());
    ASSERT_TRUE(victim.connect(dev, id, "operator", kOperator).value("ok", false));
    const Json r = admin->call("devices.revoke", {{"deviceId", dev}});
    EXPECT_TRUE(r["payload"].value("revoked", false)) << r.dump();
    EXPECT_FALSE(victim.recv());
    EXPECT_EQ(victim.close_code(), 4003);
    WsClient again(d.url());
    EXPECT_EQ(again.connect(dev, id, "operator", kOperator)["error"]["code"], "UNAUTHORIZED");
    EXPECT_EQ(d.daemon().stop(SIGTERM), 0) << "clean shutdown with clients connected";
}

TEST(ControlPlane, NodeWsClientFromTheDocs) {
    if (std::system("node --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "node is not installed";
    const std::string dir = CP_NODE_DIR;
    if (!fs::exists(dir + "/node_modules/ws")) {
        fs::create_directories(dir);
        ASSERT_EQ(std::system(("cd '" + dir + "' && npm install --no-audit --no-fund --silent ws@8 > npm.log 2>&1").c_str()), 0)
            << "npm install ws failed; see " << dir << "/npm.log";
    }
    CpDaemon d;
    ASSERT_TRUE(d.ok());
    const std::string cmd = "NODE_PATH='" + dir + "/node_modules' node '" CP_JS_CLIENT "' '" + d.url() + "' '" +
                            d.token() + "' 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[4096];
    while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int rc = pclose(p);
    EXPECT_EQ(rc, 0) << out;
    EXPECT_NE(out.find("hello device:"), std::string::npos) << out;
    EXPECT_NE(out.find("missingScope write"), std::string::npos) << out;
    EXPECT_NE(out.find("status ok"), std::string::npos) << out;
}
