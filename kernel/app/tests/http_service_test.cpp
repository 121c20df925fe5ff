// cowork.http/1 as a plugin sees it: the table offered on its host, gated by
// its manifest's net:connect and the policy, streaming chunks as events.
#include "app/host_table.hpp"
#include "app/http_service.hpp"

#include "support/scripted_http_server.hpp"

#include <cowork/sdk/sink.hpp>

#include <gtest/gtest.h>

#include <thread>

using namespace cowork::kernel;
using namespace cowork::kernel::app;
using cowork::sdk::Collector;
using cowork::testing::ScriptedResponse;
using cowork::testing::ScriptedServer;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<policy::PolicyEngine> engine(const char* rules = "{}") {
    auto parsed = policy::PolicyRules::from_json(Json::parse(rules));
    EXPECT_TRUE(parsed.ok());
    auto e = policy::PolicyEngine::create(parsed.value(), nullptr);
    EXPECT_TRUE(e.ok());
    return std::move(e).value();
}

plugins::Manifest llm_plugin(std::vector<std::string> net_connect) {
    plugins::Manifest m;
    m.id = "llm.fake";
    m.type = "llm";
    m.permissions.net_connect = std::move(net_connect);
    return m;
}

// A plugin's view: the host table and the http service on it.
struct PluginSide {
    HostTable host;
    const cowork_http_v1* http = nullptr;
    PluginSide(const plugins::Manifest& m, policy::PolicyEngine& p) : host(m.id, "/tmp") {
        offer_http_service(host, m, p);
        http = static_cast<const cowork_http_v1*>(host.host()->get_service(host.host()->ctx, COWORK_SERVICE_HTTP));
    }
    cowork_status request(const Json& in, Collector& c) const {
        const std::string text = in.dump();
        return http->request(http->ctx, text.data(), text.size(), c.sink());
    }
    cowork_status cancel(const std::string& id) const {
        const std::string text = Json{{"requestId", id}}.dump();
        Collector c;
        return http->cancel(http->ctx, text.data(), text.size(), c.sink());
    }
};

ScriptedResponse body(std::vector<std::string> chunks, bool chunked = false) {
    ScriptedResponse r;
    r.chunks = std::move(chunks);
    r.chunked = chunked;
    return r;
}

}  // namespace

TEST(HttpService, DeclaredHostIsAllowed) {
    ScriptedServer server;
    server.enqueue(body({R"({"ok":true})"}));
    auto policy = engine();
    PluginSide plugin(llm_plugin({"127.0.0.1:" + std::to_string(server.port())}), *policy);
    ASSERT_NE(plugin.http, nullptr);
    Collector c;
    ASSERT_EQ(plugin.request({{"method", "POST"}, {"url", server.base_url() + "/api/chat"}, {"body", "{}"},
                              {"headers", {{"Content-Type", "application/json"}}}},
                             c),
              COWORK_OK)
        << c.text();
    const Json out = c.json();
    EXPECT_EQ(out["status"], 200);
    EXPECT_EQ(out["body"], R"({"ok":true})");
    EXPECT_EQ(server.requests().at(0).headers.at("content-type"), "application/json");
}

TEST(HttpService, UndeclaredHostIsDeniedBeforeConnecting) {
    ScriptedServer server;
    auto policy = engine();
    PluginSide plugin(llm_plugin({"api.example.com:443"}), *policy);
    Collector c;
    EXPECT_EQ(plugin.request({{"url", server.base_url() + "/"}}, c), COWORK_E_DENIED);
    const Json err = c.json();
    EXPECT_EQ(err["code"], "denied");
    const std::string message = err["message"];
    EXPECT_NE(message.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos) << message;
    EXPECT_NE(message.find("net:connect"), std::string::npos) << message;
    EXPECT_EQ(server.connections(), 0u);
}

TEST(HttpService, PolicyCanDenyADeclaredHost) {
    ScriptedServer server;
    auto policy = engine(R"({"tool_rules": [{"id": "no-local", "decision": "deny", "plugin": "llm.*",
                                             "permission": "net:connect", "host": "127.0.0.1"}]})");
    PluginSide plugin(llm_plugin({"127.0.0.1"}), *policy);
    Collector c;
    EXPECT_EQ(plugin.request({{"url", server.base_url() + "/"}}, c), COWORK_E_DENIED);
    EXPECT_NE(c.json()["message"].get<std::string>().find("policy rule"), std::string::npos) << c.text();
    EXPECT_EQ(server.connections(), 0u);
}

TEST(HttpService, StreamsChunksAsEventsKeepingUtf8Whole) {
    ScriptedServer server;
    // "中" is E4 B8 AD: split across two network chunks on purpose.
    auto resp = body({"data: a\xE4\xB8", "\xAD\n\n", "data: [DONE]\n\n"}, true);
    resp.delay_between = 30ms;
    server.enqueue(resp);
    auto policy = engine();
    PluginSide plugin(llm_plugin({"127.0.0.1"}), *policy);
    std::string streamed;
    int events = 0;
    int heads = 0;
    Collector c([&](std::string_view e) {
        const Json ev = Json::parse(e);
        if (ev["type"] == "head") {
            EXPECT_EQ(events, 0) << "the head comes before any chunk";
            EXPECT_EQ(ev["status"], 200);
            ++heads;
            return;
        }
        EXPECT_EQ(ev["type"], "chunk");
        streamed += ev["data"].get<std::string>();
        ++events;
    });
    ASSERT_EQ(plugin.request({{"url", server.base_url() + "/sse"}, {"stream", true}}, c), COWORK_OK) << c.text();
    EXPECT_EQ(heads, 1);
    EXPECT_EQ(streamed, "data: a\xE4\xB8\xAD\n\ndata: [DONE]\n\n");  // no U+FFFD anywhere
    EXPECT_GE(events, 2);
    EXPECT_EQ(c.json()["bytes"], streamed.size());
    EXPECT_FALSE(c.json().contains("body"));
}

TEST(HttpService, AStreamedErrorAnnouncesItsStatusBeforeItsBody) {
    ScriptedServer server;
    ScriptedResponse r;
    r.status = 429;
    r.headers = {{"Content-Type", "application/json"}, {"Retry-After", "2"}};
    r.chunks = {R"({"error":{"message":"slow down"}})"};
    server.enqueue(r);
    auto policy = engine();
    PluginSide plugin(llm_plugin({"127.0.0.1"}), *policy);
    std::vector<Json> seen;
    Collector c([&](std::string_view e) { seen.push_back(Json::parse(e)); });
    ASSERT_EQ(plugin.request({{"url", server.base_url() + "/v1"}, {"stream", true}}, c), COWORK_OK) << c.text();
    ASSERT_GE(seen.size(), 2u);
    EXPECT_EQ(seen[0]["type"], "head");
    EXPECT_EQ(seen[0]["status"], 429);
    EXPECT_EQ(seen[0]["headers"]["retry-after"], "2");
    EXPECT_EQ(seen[1]["type"], "chunk");
}

TEST(HttpService, CancelByRequestIdEndsTheCall) {
    ScriptedServer server;
    auto resp = body(std::vector<std::string>(100, "x"), true);
    resp.delay_between = 100ms;
    server.enqueue(resp);
    auto policy = engine();
    PluginSide plugin(llm_plugin({"127.0.0.1"}), *policy);
    std::thread canceller;
    Collector c([&](std::string_view) {
        if (!canceller.joinable()) canceller = std::thread([&] { EXPECT_EQ(plugin.cancel("r-1"), COWORK_OK); });
    });
    EXPECT_EQ(plugin.request({{"url", server.base_url() + "/"}, {"stream", true}, {"requestId", "r-1"}}, c),
              COWORK_E_CANCELLED);
    canceller.join();
    EXPECT_EQ(c.json()["code"], "cancelled");
}

TEST(HttpService, BadRequestIsInvalid) {
    auto policy = engine();
    PluginSide plugin(llm_plugin({"*"}), *policy);
    Collector c;
    EXPECT_EQ(plugin.request({{"method", "GET"}}, c), COWORK_E_INVALID);
    EXPECT_EQ(c.json()["code"], "invalid");
}

// "ssrfGuard": a plugin with net:connect "*" (tool.web) asks the kernel to
// refuse local and private addresses after DNS, on every hop.
TEST(HttpService, SsrfGuardRefusesLoopbackAfterResolution) {
    ScriptedServer server;
    server.enqueue(body({"secret"}));
    auto policy = engine();
    PluginSide plugin(llm_plugin({"*"}), *policy);
    for (const std::string host : {"127.0.0.1", "localhost"}) {
        Collector c;
        const std::string url = "http://" + host + ":" + std::to_string(server.port()) + "/";
        EXPECT_EQ(plugin.request({{"url", url}, {"ssrfGuard", true}}, c), COWORK_E_DENIED) << c.text();
        EXPECT_EQ(c.json()["code"], "denied");
        const std::string message = c.json()["message"];
        EXPECT_NE(message.find(host + " resolves to "), std::string::npos) << message;
        EXPECT_NE(message.find("loopback"), std::string::npos) << message;
    }
    EXPECT_EQ(server.connections(), 0u);
}

TEST(HttpService, SsrfGuardLetsListedHostsThroughButChecksEveryRedirectHop) {
    ScriptedServer server;
    ScriptedResponse redirect;
    redirect.status = 302;
    redirect.headers = {{"Location", "http://127.0.0.2:" + std::to_string(server.port()) + "/inner"}};
    server.enqueue(body({"first"}));
    server.enqueue(redirect);
    auto policy = engine();
    PluginSide plugin(llm_plugin({"*"}), *policy);
    const Json base{{"url", server.base_url() + "/"}, {"ssrfGuard", true}, {"allowPrivateHosts", {"127.0.0.1"}},
                    {"maxRedirects", 3}};
    Collector ok;
    ASSERT_EQ(plugin.request(base, ok), COWORK_OK) << ok.text();
    EXPECT_EQ(ok.json()["body"], "first");

    Collector hop;
    EXPECT_EQ(plugin.request(base, hop), COWORK_E_DENIED) << hop.text();
    const std::string message = hop.json()["message"];
    EXPECT_NE(message.find("127.0.0.2 resolves to 127.0.0.2"), std::string::npos) << message;
    EXPECT_EQ(server.requests().size(), 2u);  // the hop never reached anything
}

TEST(HttpService, WithoutSsrfGuardLoopbackStaysReachable) {
    ScriptedServer server;
    server.enqueue(body({"ok"}));
    auto policy = engine();
    PluginSide plugin(llm_plugin({"*"}), *policy);
    Collector c;
    ASSERT_EQ(plugin.request({{"url", server.base_url() + "/"}, {"allowPrivateHosts", {"x"}}}, c), COWORK_OK) << c.text();
    EXPECT_EQ(c.json()["body"], "ok");
    Collector bad;
    EXPECT_EQ(plugin.request({{"url", server.base_url() + "/"}, {"ssrfGuard", "yes"}}, bad), COWORK_E_INVALID);
}
