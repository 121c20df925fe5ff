// Channels end to end with the real binaries: the CLI creates a channel
// instance (its secret goes to the secrets service), a running coworkd opens
// it on the channel.loopback fixture plugin, a control-plane client (Node
// and the npm `ws` package) tests it, sends through it and sees its
// channel.status events, the CLI's changes reach the running daemon, and
// after a restart the instance is open again. The secret never lands on disk
// in clear.
#include "process_helpers.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

namespace cowork::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

const std::string kCanary = "tg-CANARY-0c9f8e7d6b";

// A control-plane client: pairs an operator device with the operator token,
// connects, runs the calls given as JSON [[method, params], …] in order and
// prints {"results":[…],"events":[…]}. With WAIT_FOR=<name>, it first waits
// for a channel.status "connected" event of the channel created under that name.
const char* kClientJs = R"JS(
const WebSocket = require('ws'); const crypto = require('crypto');
const [url, token, callsJson] = process.argv.slice(2);
const calls = JSON.parse(callsJson); const waitFor = process.env.WAIT_FOR || '';
function open() {
  const ws = new WebSocket(url); let next = 1; const pending = new Map(); const events = [];
  let onEvent = () => {};
  const challenge = new Promise((resolve, reject) => {
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      if (f.type === 'event' && f.event === 'connect.challenge') resolve(f.payload);
      else if (f.type === 'event') { events.push({ event: f.event, payload: f.payload }); onEvent(f); }
      else if (f.type === 'res' && pending.has(f.id)) { pending.get(f.id)(f); pending.delete(f.id); }
    });
    ws.on('error', reject);
  });
  const call = (method, params = {}) => new Promise((r) => {
    const id = String(next++); pending.set(id, r); ws.send(JSON.stringify({ type: 'req', id, method, params }));
  });
  return { ws, challenge, call, events, setOnEvent: (f) => { onEvent = f; } };
}
(async () => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const p = open(); await p.challenge;
  const paired = await p.call('devices.pair', { token, publicKey: publicKey.export({ format: 'jwk' }).x, name: 'e2e', role: 'operator' });
  if (!paired.ok) throw new Error('pair: ' + JSON.stringify(paired.error));
  p.ws.close();
  const c = open(); const { nonce, ts } = await c.challenge;
  const role = 'operator', scopes = ['read', 'write', 'approve'];
  const msg = ['cowork-connect-v1', nonce, ts, role, scopes.join(',')].join('\n');
  const signature = crypto.sign(null, Buffer.from(msg), privateKey).toString('base64url');
  const hello = await c.call('connect', { deviceId: paired.payload.deviceId, nonce, ts, role, scopes, signature });
  if (!hello.ok) throw new Error('connect: ' + JSON.stringify(hello.error));
  const results = [];
  let created = null;
  const connected = new Promise((resolve) => c.setOnEvent((f) => {
    if (f.event === 'channel.status' && created && f.payload.channelId === created && f.payload.state === 'connected') resolve();
  }));
  for (const [method, params] of calls) {
    const r = await c.call(method, params);
    results.push(r);
    if (method === 'channel.create' && r.ok && r.payload.name === waitFor) created = r.payload.id;
  }
  if (waitFor) {
    const seen = () => c.events.some((e) => e.event === 'channel.status' && e.payload.channelId === created && e.payload.state === 'connected');
    if (!seen()) await Promise.race([connected, new Promise((_, rej) => setTimeout(() => rej(new Error('no channel.status connected event')), 15000))]);
  }
  console.log(JSON.stringify({ results, events: c.events }));
  c.ws.close();
})().catch((e) => { console.error(String(e)); process.exit(1); });
)JS";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<json> lines_of(const fs::path& p) {
    std::vector<json> out;
    std::ifstream in(p);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(json::parse(line));
    return out;
}

class ChannelsE2e : public ::testing::Test {
protected:
    Home home;
    fs::path root;  // a plugin root holding only channel.loopback
    fs::path node_dir = build_out().parent_path() / "channels-e2e-node";

    void SetUp() override {
        root = home.path() / "test-plugins";
        fs::create_directories(root);
        fs::copy(fixture_plugins() / "channel.loopback", root / "channel.loopback", fs::copy_options::recursive);
        auto enabled = run({bin("cowork").string(), "plugins", "enable", "frontend.control-plane"}, home);
        ASSERT_EQ(enabled.exit_code, 0) << enabled.out << enabled.err;
        const fs::path toml = home.path() / "config/cowork.toml";
        std::ofstream(toml, std::ios::app) << "\n[plugins.\"frontend.control-plane\"]\nport = 0\n";
    }

    e2e::Run cli(const std::string& method, const json& params) {
        return run({bin("cowork").string(), "--plugin-dir", root.string(), "api", "call", method, "--json", "--params",
                    params.dump()},
                   home);
    }
    std::unique_ptr<Daemon> daemon() {
        auto d = std::make_unique<Daemon>(home, std::vector<std::string>{"--plugin-dir", root.string()});
        EXPECT_TRUE(d->ready());
        return d;
    }
    // The status a running coworkd recorded, read by the CLI from cowork.db;
    // polled (bounded) because the daemon applies changes on its own pass.
    json wait_for_state(const std::string& id, const std::string& state) {
        json last;
        for (int i = 0; i < 100; ++i) {
            auto got = cli("channel.get", {{"id", id}});
            last = got.json();
            if (got.exit_code == 0 && last["status"]["state"] == state) return last;
            std::this_thread::sleep_for(100ms);
        }
        ADD_FAILURE() << "channel " << id << " never reached " << state << "; last: " << last.dump();
        return last;
    }
    bool node_ready() {
        if (std::system("node --version > /dev/null 2>&1") != 0) return false;
        if (!fs::exists(node_dir / "node_modules/ws")) {
            fs::create_directories(node_dir);
            const std::string cmd = "cd '" + node_dir.string() + "' && npm install --no-audit --no-fund --silent ws@8 > npm.log 2>&1";
            if (std::system(cmd.c_str()) != 0) return false;
        }
        std::ofstream(node_dir / "client.js") << kClientJs;
        return true;
    }
    // Runs the control-plane client against the running daemon.
    json control_plane(const json& calls, const std::string& wait_for = "") {
        const fs::path dir = home.path() / "data/plugin-data/frontend.control-plane";
        const json listener = json::parse(slurp(dir / "listener.json"), nullptr, false);
        EXPECT_TRUE(listener.is_object()) << "listener.json missing";
        std::string token = slurp(listener.value("tokenFile", ""));
        while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
        const fs::path calls_file = node_dir / ("calls-" + std::to_string(::getpid()) + ".json");
        std::ofstream(calls_file) << calls.dump();
        const std::string cmd = "WAIT_FOR='" + wait_for + "' NODE_PATH='" + (node_dir / "node_modules").string() +
                                "' node '" + (node_dir / "client.js").string() + "' '" + listener.value("url", "") + "' '" +
                                token + "' \"$(cat '" + calls_file.string() + "')\" 2>&1";
        FILE* p = popen(cmd.c_str(), "r");
        std::string out;
        char buf[4096];
        while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
        const int rc = pclose(p);
        fs::remove(calls_file);
        EXPECT_EQ(rc, 0) << out;
        return json::parse(out, nullptr, false);
    }
};

TEST_F(ChannelsE2e, CreatedInTheCliOpenedByCoworkdUsedOverTheControlPlaneAndOpenAgainAfterARestart) {
    if (!node_ready()) GTEST_SKIP() << "node/npm (ws) is not available";
    const fs::path out = home.path() / "delivered.jsonl";
    auto created = cli("channel.create", {{"plugin", "channel.loopback"},
                                          {"name", "e2e-bot"},
                                          {"config", {{"file", out.string()}, {"requireToken", true}}},
                                          {"secrets", {{"token", kCanary}}}});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    const std::string id = created.json()["id"];
    EXPECT_EQ(created.json()["secretRefs"], json::array({"token"}));
    // The CLI runs no channel plugin: it says where testing works instead.
    auto here = cli("channel.test", {{"id", id}});
    EXPECT_NE(here.exit_code, 0);
    EXPECT_NE(here.err.find("coworkd"), std::string::npos) << here.err;

    auto d = daemon();
    json seen = wait_for_state(id, "connected");
    EXPECT_EQ(seen["status"]["detail"], "delivering to delivered.jsonl (token set)");

    const json r = control_plane(json::array({
        json::array({"channel.test", {{"id", id}}}),
        json::array({"channel.send", {{"id", id}, {"to", "alice"}, {"text", "hello from e2e"}}}),
        json::array({"channel.create", {{"plugin", "channel.loopback"}, {"name", "second"}, {"config", {{"file", (home.path() / "second.jsonl").string()}}}}}),
        json::array({"channel.list", json::object()}),
    }), "second");
    ASSERT_TRUE(r.is_object()) << r.dump();
    const json& results = r["results"];
    ASSERT_EQ(results.size(), 4u) << r.dump();
    EXPECT_EQ(results[0]["payload"]["ok"], true) << results[0].dump();
    EXPECT_TRUE(results[1]["payload"]["messageId"].is_string()) << results[1].dump();
    EXPECT_EQ(results[2]["payload"]["status"]["state"], "connected") << results[2].dump();
    EXPECT_EQ(results[3]["payload"].size(), 2u);
    bool status_event = false;
    for (const auto& e : r["events"])
        status_event = status_event || (e["event"] == "channel.status" && e["payload"]["name"] == "second");
    EXPECT_TRUE(status_event) << r["events"].dump();
    auto delivered = lines_of(out);
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_EQ(delivered[0]["chatId"], "alice");
    EXPECT_EQ(delivered[0]["text"], "hello from e2e");

    // A change made by the CLI reaches the running daemon.
    ASSERT_EQ(cli("channel.disable", {{"id", id}}).exit_code, 0);
    wait_for_state(id, "disabled");
    ASSERT_EQ(cli("channel.enable", {{"id", id}}).exit_code, 0);
    wait_for_state(id, "connected");

    EXPECT_EQ(d->stop(SIGTERM), 0);
    d.reset();
    auto stopped = cli("channel.get", {{"id", id}});
    EXPECT_EQ(stopped.json()["status"]["state"], "connecting") << stopped.out;

    d = daemon();
    wait_for_state(id, "connected");
    const json again = control_plane(json::array({json::array({"channel.send", {{"id", id}, {"to", "bob"}, {"text", "after restart"}}})}));
    ASSERT_TRUE(again.is_object());
    EXPECT_TRUE(again["results"][0]["payload"]["messageId"].is_string()) << again.dump();
    EXPECT_EQ(lines_of(out).size(), 2u);
    EXPECT_EQ(d->stop(SIGTERM), 0);
    d.reset();

    auto removed = cli("channel.remove", {{"id", id}});
    EXPECT_EQ(removed.exit_code, 0) << removed.err;
    auto secrets = run({bin("cowork").string(), "secrets", "list", "--json"}, home);
    EXPECT_EQ(secrets.out.find(id), std::string::npos) << "its secret went with it: " << secrets.out;
    EXPECT_EQ(home.all_text().find(kCanary), std::string::npos) << "the canary is on disk in clear somewhere";
}

}  // namespace
}  // namespace cowork::e2e
