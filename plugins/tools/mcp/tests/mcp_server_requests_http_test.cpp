// Server requests over Streamable HTTP (through the kernel's real
// cowork.http/1, against a scripted server): an elicitation/create arriving
// on the SSE stream answering one tools/call belongs to that call, even when
// a later call is in flight too (which the fallback rule would pick).
#include "http_transport.hpp"
#include "mcp_client.hpp"

#include "llm_test_host.hpp"
#include "mcp_test_support.hpp"
#include "support/scripted_http_server.hpp"

#include <atomic>

namespace cowork::mcp {
namespace {

using cowork::testing::RecordedRequest;
using cowork::testing::ScriptedResponse;
using cowork::testing::ScriptedServer;

std::string sse_message(const Json& m) { return "event: message\ndata: " + m.dump() + "\n\n"; }

ScriptedResponse json_answer(const Json& m) {
    ScriptedResponse r;
    r.headers = {{"Content-Type", "application/json"}};
    r.chunks = {m.dump()};
    return r;
}

ScriptedResponse status_only(int status) {
    ScriptedResponse r;
    r.status = status;
    return r;
}

// A tools/call answered as an SSE stream, one event per `pace`: an opening
// comment, then `events`, then the result.
ScriptedResponse sse_call(const Json& id, std::vector<Json> events, std::chrono::milliseconds pace) {
    ScriptedResponse r;
    r.headers = {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}};
    r.chunked = true;
    r.delay_between = pace;
    r.chunks = {": open\n\n"};
    for (const auto& e : events) r.chunks.push_back(sse_message(e));
    r.chunks.push_back(sse_message({{"jsonrpc", "2.0"}, {"id", id}, {"result", {{"content", Json::array({{{"type", "text"}, {"text", "done"}}})}}}}));
    return r;
}

TEST(ServerRequestsHttp, ARequestOnACallsStreamBelongsToThatCallNotTheMostRecent) {
    ScriptedServer server;
    const Json schema = {{"type", "object"}, {"properties", {{"ok", {{"type", "boolean"}, {"default", true}}}}}};
    const Json elicit = {{"jsonrpc", "2.0"}, {"id", "e1"}, {"method", "elicitation/create"},
                         {"params", {{"message", "confirm?"}, {"requestedSchema", schema}}}};
    server.route("POST", "/mcp", [&](const RecordedRequest& r) {
        const Json m = Json::parse(r.body, nullptr, false);
        const std::string method = m.is_object() ? m.value("method", "") : "";
        if (method == "initialize")
            return json_answer({{"jsonrpc", "2.0"}, {"id", m["id"]},
                                {"result", {{"protocolVersion", "2025-11-25"}, {"capabilities", {{"tools", Json::object()}}},
                                            {"serverInfo", {{"name", "scripted"}, {"version", "1"}}}}}});
        if (method == "tools/call" && m["params"]["name"] == "a")  // asks mid-way, on its own stream
            return sse_call(m["id"], {elicit}, std::chrono::milliseconds(700));
        if (method == "tools/call")  // "b": just slow, so it is in flight (and the most recent) when "a" asks
            return sse_call(m["id"], {}, std::chrono::milliseconds(1000));
        return status_only(202);  // notifications and our answers
    });
    server.route("GET", "/mcp", [](const RecordedRequest&) { return status_only(405); });
    server.route("DELETE", "/mcp", [](const RecordedRequest&) { return status_only(200); });

    llm_testing::KernelHttp http("tool.mcp", {"127.0.0.1:" + std::to_string(server.port())});
    llm_testing::TestHost host("tool.mcp");
    host.set_http(http.table());
    HttpOptions ho;
    ho.url = server.base_url() + "/mcp";
    std::mutex mutex;
    std::vector<std::string> related;
    ClientOptions co;
    co.on_server_request = [&](const std::string&, const Json&, const std::string& call) {
        std::lock_guard lock(mutex);
        related.push_back(call);
        return Json{{"action", "accept"}, {"content", Json::object()}};
    };
    McpClient client(std::make_unique<HttpTransport>(sdk::Host(host.raw()), ho), co);
    client.connect();

    auto call = [&](const std::string& tool, const std::string& call_id) {
        RequestOptions ro;
        ro.related_call = call_id;
        return client.request("tools/call", {{"name", tool}, {"arguments", Json::object()}}, ro);
    };
    std::thread a([&] { EXPECT_EQ(call("a", "call-A")["content"][0]["text"], "done"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::thread b([&] { EXPECT_EQ(call("b", "call-B")["content"][0]["text"], "done"); });
    a.join();
    b.join();
    {
        std::lock_guard lock(mutex);
        EXPECT_EQ(related, std::vector<std::string>{"call-A"});
    }
    // The answer (with the schema default filled in) went back to the server.
    bool answered = false;
    for (const auto& r : server.requests()) {
        const Json m = Json::parse(r.body, nullptr, false);
        answered = answered || (m.is_object() && m.value("id", Json()) == "e1" &&
                                m.value("result", Json()) == Json{{"action", "accept"}, {"content", {{"ok", true}}}});
    }
    EXPECT_TRUE(answered);
    client.close();
}

}  // namespace
}  // namespace cowork::mcp
