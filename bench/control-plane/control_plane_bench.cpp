// control_plane_bench — requests/s and p50/p99 latency of `ping` and `health`
// through coworkd's control plane, sequential and 100 in flight, with 1 and 50
// clients; the same client against a bare Beast echo server gives the ceiling.
// Then task.event fan-out: one task journaling thousands of rows (parallel
// read-only tool calls) to 100 connected clients (events/s delivered, p50/p99
// journal→client latency).
#include <utility>

#include "process_helpers.hpp"
#include "ws_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using cp_test::Json;
using Clock = std::chrono::steady_clock;

namespace {

// The ceiling: a WebSocket server that echoes every frame back.
class EchoServer {
public:
    EchoServer() : acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
        accept();
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~EchoServer() {
        ioc_.stop();
        thread_.join();
    }
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/"; }

private:
    struct Session : std::enable_shared_from_this<Session> {
        explicit Session(tcp::socket s) : ws(std::move(s)) {}
        beast::websocket::stream<tcp::socket> ws;
        beast::flat_buffer buf;
        void read() {
            ws.async_read(buf, [self = shared_from_this()](beast::error_code ec, size_t) {
                if (ec) return;
                self->ws.text(true);
                self->ws.async_write(self->buf.data(), [self](beast::error_code ec, size_t) {
                    if (ec) return;
                    self->buf.consume(self->buf.size());
                    self->read();
                });
            });
        }
    };
    void accept() {
        acceptor_.async_accept([this](beast::error_code ec, tcp::socket s) {
            if (ec) return;
            auto session = std::make_shared<Session>(std::move(s));
            session->ws.async_accept([session](beast::error_code ec) {
                if (!ec) session->read();
            });
            accept();
        });
    }
    asio::io_context ioc_;
    tcp::acceptor acceptor_;
    std::thread thread_;
};

struct Auth {
    std::string device;
    cp_test::Identity id;
};

struct Figures {
    double rps = 0, p50_us = 0, p99_us = 0;
};

// Each client sends `per_client` requests keeping `window` in flight.
Figures run(const std::string& url, const Auth* auth, const std::string& method, int clients, int window, int per_client) {
    std::vector<std::vector<double>> lat(clients);
    std::vector<std::thread> threads;
    std::vector<std::unique_ptr<cp_test::WsClient>> conns;
    for (int c = 0; c < clients; ++c) {
        conns.push_back(std::make_unique<cp_test::WsClient>(url));
        if (auth) conns.back()->connect(auth->device, auth->id, "read", {"read"});
    }
    const auto t0 = Clock::now();
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            auto& ws = *conns[c];
            std::vector<Clock::time_point> sent(per_client);
            int next = 0;
            auto send = [&] {
                sent[next] = Clock::now();
                ws.send(Json{{"type", "req"}, {"id", next}, {"method", method}});
                ++next;
            };
            while (next < std::min(window, per_client)) send();
            for (int got = 0; got < per_client; ++got) {
                const Json r = ws.response(got);
                lat[c].push_back(std::chrono::duration<double, std::micro>(Clock::now() - sent[got]).count());
                if (next < per_client) send();
            }
        });
    for (auto& t : threads) t.join();
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    std::vector<double> all;
    for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    return {all.size() / secs, all[all.size() / 2], all[all.size() * 99 / 100]};
}

// A task whose journal grows fast: `turns` model turns, each asking for
// `calls` read-only tool calls (no approval), every call journaling a
// tool.call and a tool.result row, i.e. two task.event publishes. Every call
// reads its own file: the loop guard stops a task repeating one call.
int write_busy_script(const std::filesystem::path& file, const std::filesystem::path& ws, int turns, int calls) {
    Json list = Json::array();
    for (int t = 0; t < turns; ++t) {
        Json parts = Json::array();
        for (int c = 0; c < calls; ++c) {
            const std::string name = "n" + std::to_string(t) + "_" + std::to_string(c) + ".txt";
            std::ofstream(ws / name) << "a short file\n";
            parts.push_back({{"type", "tool_call"},
                             {"id", "c" + std::to_string(t) + "_" + std::to_string(c)},
                             {"name", "tool.files.read_file"},
                             {"arguments", {{"path", name}}}});
        }
        list.push_back({{"message", {{"role", "assistant"}, {"content", parts}}}});
    }
    list.push_back({{"message", {{"role", "assistant"}, {"content", {{{"type", "text"}, {"text", "done"}}}}}}});
    std::ofstream(file) << Json{{"model", "scripted-1"}, {"turns", list}}.dump();
    return turns * calls * 2;
}

double now_epoch_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct FanOut {
    size_t delivered = 0, dropped = 0;
    double events_per_s = 0, p50_ms = 0, p99_ms = 0;
};

// `clients` read devices listen while an operator starts one streaming task;
// each client reads until task.completed. Latency is from the row's journal
// timestamp (ms resolution, taken before the group commit) to receipt.
FanOut fan_out(const std::string& url, const Auth& reader, const Auth& op, const std::filesystem::path& ws, int clients) {
    std::vector<std::unique_ptr<cp_test::WsClient>> conns;
    for (int c = 0; c < clients; ++c) {
        conns.push_back(std::make_unique<cp_test::WsClient>(url));
        conns.back()->connect(reader.device, reader.id, "read", {"read"});
    }
    cp_test::WsClient starter(url);
    starter.connect(op.device, op.id, "operator", {"read", "write", "approve"});
    starter.call("workspace.create", {{"path", ws.string()}});
    std::vector<std::vector<double>> lat(clients);
    std::vector<size_t> dropped(clients, 0);
    std::vector<double> first(clients, 0), last(clients, 0);
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            while (auto f = conns[c]->recv(60000)) {
                const std::string ev = f->value("event", "");
                if (ev == "events.dropped") dropped[c] += (*f)["payload"].value("count", size_t{0});
                if (ev == "task.completed" || ev == "task.failed") return;
                if (ev != "task.event") continue;
                const double t = now_epoch_ms();
                if (first[c] == 0) first[c] = t;
                last[c] = t;
                lat[c].push_back(t - (*f)["payload"].value("ts", 0.0));
            }
        });
    starter.call("task.create", {{"prompt", "stream"}, {"workspace", ws.string()}, {"provider", "llm.scripted"}});
    for (auto& t : threads) t.join();
    FanOut out;
    std::vector<double> all;
    double t0 = 0, t1 = 0;
    for (int c = 0; c < clients; ++c) {
        all.insert(all.end(), lat[c].begin(), lat[c].end());
        out.dropped += dropped[c];
        if (first[c] && (t0 == 0 || first[c] < t0)) t0 = first[c];
        t1 = std::max(t1, last[c]);
    }
    if (all.empty()) return out;
    std::sort(all.begin(), all.end());
    out.delivered = all.size();
    out.events_per_s = t1 > t0 ? all.size() / ((t1 - t0) / 1000.0) : 0;
    out.p50_ms = all[all.size() / 2];
    out.p99_ms = all[all.size() * 99 / 100];
    return out;
}

Auth pair(const std::string& url, const std::string& token, const std::string& role) {
    Auth auth{"", cp_test::Identity::generate()};
    cp_test::WsClient c(url);
    c.challenge();
    auth.device = c.call("devices.pair", {{"token", token}, {"publicKey", auth.id.public_key}, {"name", "bench"}, {"role", role}})["payload"]
                      .value("deviceId", "");
    return auth;
}

}  // namespace

int main() {
    setenv("COWORK_BUILD_OUT", COWORK_OUT_DIR, 0);
    cowork::e2e::Home home;
    auto enable = cowork::e2e::run({cowork::e2e::bin("cowork").string(), "plugins", "enable", "frontend.control-plane"}, home);
    if (enable.exit_code != 0) {
        std::fprintf(stderr, "cannot enable the plugin: %s\n", enable.err.c_str());
        return 1;
    }
    std::ofstream(home.path() / "config/cowork.toml", std::ios::app)
        << "\n[plugins.\"frontend.control-plane\"]\nport = 0\n";
    const auto script = home.path() / "script.json";
    const auto workspace = home.path() / "ws";
    std::filesystem::create_directories(workspace);
    const int tool_rows = write_busy_script(script, workspace, 40, 50);
    cowork::e2e::Daemon daemon(home, {"--log-level", "warn", "--plugin-dir", cowork::e2e::fixture_plugins().string()},
                               {{"COWORK_SCRIPTED_LLM", script.string()}});
    const auto dir = home.path() / "data/plugin-data/frontend.control-plane";
    std::ifstream lf(dir / "listener.json");
    const Json listener = Json::parse(lf, nullptr, false);
    std::ifstream tf(listener.value("tokenFile", ""));
    std::string token;
    std::getline(tf, token);
    const std::string url = listener.value("url", "");

    const Auth auth = pair(url, token, "read");
    EchoServer echo;
    std::printf("%-14s %-8s %7s %8s %10s %9s %9s\n", "server", "method", "clients", "inflight", "req/s", "p50 us", "p99 us");
    for (const auto& [clients, window, per] : std::vector<std::tuple<int, int, int>>{{1, 1, 3000}, {1, 100, 20000}, {50, 1, 200}, {50, 100, 1000}}) {
        for (const char* method : {"ping", "health"}) {
            const Figures f = run(url, &auth, method, clients, window, per);
            std::printf("%-14s %-8s %7d %8d %10.0f %9.0f %9.0f\n", "coworkd", method, clients, window, f.rps, f.p50_us, f.p99_us);
        }
        const Figures e = run(echo.url(), nullptr, "echo", clients, window, per);
        std::printf("%-14s %-8s %7d %8d %10.0f %9.0f %9.0f\n", "beast-echo", "-", clients, window, e.rps, e.p50_us, e.p99_us);
    }

    const Auth op = pair(url, token, "operator");
    const FanOut f = fan_out(url, auth, op, workspace, 100);
    std::printf("\ntask.event fan-out: 1 task journaling ~%d tool rows (+ model/state rows) to 100 read clients\n",
                tool_rows);
    std::printf("%-10s %12s %12s %9s %9s %9s\n", "clients", "delivered", "events/s", "p50 ms", "p99 ms", "shed");
    std::printf("%-10d %12zu %12.0f %9.1f %9.1f %9zu\n", 100, f.delivered, f.events_per_s, f.p50_ms, f.p99_ms, f.dropped);
    daemon.stop(SIGTERM);
}
