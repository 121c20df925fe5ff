// conformance_client — the client under test for
// `@modelcontextprotocol/conformance client`. The runner starts a scenario
// server, then runs this program with the server URL as the last argument
// and the scenario in MCP_CONFORMANCE_SCENARIO. It drives tool.mcp's own
// client core (McpClient + HttpTransport over the kernel's real
// cowork.http/1) through what each scenario expects; nothing here answers on
// the plugin's behalf. Exit status 0 when the flow completed.
#include "http_transport.hpp"
#include "mcp_client.hpp"

#include "llm_test_host.hpp"

#include <cowork/sdk/error.hpp>

#include <cstdlib>
#include <iostream>

namespace {

using cowork::mcp::Json;

// The tool a scenario's server offers and the arguments it checks.
Json arguments_for(const std::string& tool) {
    if (tool == "add_numbers") return {{"a", 5}, {"b", 3}};
    return Json::object();
}

int run(const std::string& scenario, const std::string& url) {
    cowork::llm_testing::KernelHttp http("tool.mcp", {"*"});
    cowork::llm_testing::TestHost host("tool.mcp");
    host.set_http(http.table());
    cowork::mcp::HttpOptions options;
    options.url = url;
    options.log = [](int, const std::string& text) { std::cerr << "transport: " << text << "\n"; };
    cowork::mcp::ClientOptions client_options;
    client_options.client_name = "cowork-tool-mcp";
    client_options.log = [](int, const std::string& text) { std::cerr << "client: " << text << "\n"; };
    cowork::mcp::McpClient client(std::make_unique<cowork::mcp::HttpTransport>(cowork::sdk::Host(host.raw()), options),
                                  client_options);
    const auto& id = client.connect();
    std::cerr << "connected: protocol " << id.protocol_version << "\n";
    const Json tools = client.list_all("tools/list", "tools");
    if (scenario != "initialize") {
        // Every other client scenario is "call the tool the server offers".
        for (const auto& t : tools) {
            const std::string name = t.value("name", "");
            const Json result = client.request("tools/call", {{"name", name}, {"arguments", arguments_for(name)}});
            std::cerr << "called " << name << ": " << result.dump().substr(0, 300) << "\n";
        }
    }
    client.close();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: conformance_client <server url> (scenario in MCP_CONFORMANCE_SCENARIO)\n";
        return 2;
    }
    const char* scenario = std::getenv("MCP_CONFORMANCE_SCENARIO");
    try {
        return run(scenario ? scenario : "", argv[argc - 1]);
    } catch (const std::exception& e) {
        std::cerr << "conformance_client: " << e.what() << "\n";
        return 1;
    }
}
