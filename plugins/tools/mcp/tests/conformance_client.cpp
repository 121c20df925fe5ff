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

// The person at the keyboard, as the scenarios expect one: asked to fill in a
// form, they accept without typing anything, so the schema's defaults apply
// (elicitation-sep1034-client-defaults). Nobody here runs a model.
Json answer_as_the_person(const std::string& kind, const Json&, const std::string&) {
    if (kind == "elicitation") return {{"action", "accept"}, {"content", Json::object()}};
    throw cowork::sdk::Error(COWORK_E_UNSUPPORTED, "UNSUPPORTED", "the conformance runner has no model to sample from");
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
    client_options.on_server_request = answer_as_the_person;
    cowork::mcp::McpClient client(std::make_unique<cowork::mcp::HttpTransport>(cowork::sdk::Host(host.raw()), options),
                                  client_options);
    const auto& id = client.connect();
    std::cerr << "connected: protocol " << id.protocol_version << "\n";
    const Json tools = client.list_all("tools/list", "tools");
    if (scenario != "initialize") {
        // Every other client scenario is "call the tool the server offers".
        for (const auto& t : tools) {
            const std::string name = t.value("name", "");
            cowork::mcp::RequestOptions call;
            call.related_call = "conformance-call-" + name;  // the server's questions during it go to the person
            const Json result = client.request("tools/call", {{"name", name}, {"arguments", arguments_for(name)}}, call);
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
