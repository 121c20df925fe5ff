// conformance_client — the client under test for
// `@modelcontextprotocol/conformance client`. The runner starts a scenario
// server, then runs this program with the server URL as the last argument
// and the scenario in MCP_CONFORMANCE_SCENARIO. It drives tool.mcp's own
// client core (McpClient + HttpTransport over the kernel's real
// cowork.http/1) through what each scenario expects; nothing here answers on
// the plugin's behalf. Exit status 0 when the flow completed.
#include "http_transport.hpp"
#include "mcp_client.hpp"
#include "oauth/authorizer.hpp"

#include "llm_test_host.hpp"

#include <cowork/sdk/error.hpp>

#include <cstdlib>
#include <iostream>
#include <thread>

namespace {

using cowork::mcp::Json;

// The tool a scenario's server offers and the arguments it checks.
Json arguments_for(const std::string& tool) {
    if (tool == "add_numbers") return {{"a", 5}, {"b", 3}};
    return Json::object();
}

// The auth/* scenarios: the runner's authorization server auto-approves, so
// this plays the person's browser: GET the authorization URL without
// following redirects, then follow the Location to the loopback listener.
// Runs aside, as a browser would, while the authorizer waits for the redirect.
class Browser {
public:
    explicit Browser(cowork::sdk::Host host) : host_(host) {}
    ~Browser() {
        for (auto& t : visits_) t.join();
    }
    void open(const std::string& url) {
        visits_.emplace_back([this, url] {
            try {
                const cowork::mcp::oauth::HttpFetch http(host_);
                const auto page = http.get(url);
                const std::string location = page.header("location");
                std::cerr << "browser: authorization endpoint answered " << page.status << "\n";
                if (!location.empty()) http.get(location);
            } catch (const std::exception& e) {
                std::cerr << "browser: " << e.what() << "\n";
            }
        });
    }

private:
    cowork::sdk::Host host_;
    std::vector<std::thread> visits_;
};

// The operator's configuration for a scenario, from MCP_CONFORMANCE_CONTEXT
// (pre-registered client id and secret) and the grant the scenario is about.
std::shared_ptr<cowork::mcp::oauth::Authorizer> authorizer_for(const std::string& scenario, const std::string& url,
                                                               cowork::llm_testing::TestHost& host, Browser& browser) {
    if (scenario.rfind("auth/", 0) != 0) return nullptr;
    const char* raw = std::getenv("MCP_CONFORMANCE_CONTEXT");
    const Json context = raw ? Json::parse(raw, nullptr, false) : Json::object();
    cowork::mcp::oauth::AuthorizerOptions o;
    o.server_name = "conformance";
    o.server_url = url;
    o.settings.enabled = true;
    // Used only where the authorization server advertises client ID metadata documents.
    o.settings.client_metadata_url = "https://conformance-test.local/client-metadata.json";
    if (context.is_object()) {
        o.settings.client_id = context.value("client_id", "");
        if (context.contains("client_secret") && context["client_secret"].is_string()) {
            host.set_secret("mcp.conformance.client-secret", context["client_secret"].get<std::string>());
            o.settings.client_secret = "mcp.conformance.client-secret";  // read back through the secrets service
        }
    }
    if (scenario.rfind("auth/client-credentials", 0) == 0) o.settings.grant = "client_credentials";
    if (context.is_object() && context.contains("private_key_pem") && context["private_key_pem"].is_string()) {
        host.set_secret("mcp.conformance.client-key", context["private_key_pem"].get<std::string>());
        o.settings.client_private_key = "mcp.conformance.client-key";  // read back through the secrets service
    }
    if (scenario == "auth/cross-app-access-complete-flow" && context.is_object()) {
        o.settings.grant = "cross_app_access";
        o.settings.idp_token_endpoint = context.value("idp_token_endpoint", "");
        o.settings.idp_client_id = context.value("idp_client_id", "");
        host.set_secret("mcp.conformance.idp-id-token", context.value("idp_id_token", ""));
        o.settings.idp_id_token = "mcp.conformance.idp-id-token";
    }
    o.store = std::make_shared<cowork::mcp::oauth::MemoryTokenStore>();
    o.open_url = [&browser](const std::string& u) { browser.open(u); };
    o.redirect_timeout = std::chrono::seconds(20);
    o.log = [](int, const std::string& text) { std::cerr << "authorizer: " << text << "\n"; };
    return std::make_shared<cowork::mcp::oauth::Authorizer>(cowork::sdk::Host(host.raw()), std::move(o));
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
    Browser browser{cowork::sdk::Host(host.raw())};
    options.authorizer = authorizer_for(scenario, url, host, browser);
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
