#include "mcp_daemon.hpp"

#include <csignal>
#include <fstream>

namespace mcp_test {

namespace e2e = cowork::e2e;
namespace fs = std::filesystem;
using Json = nlohmann::json;

fs::path mcp_fixture_plugins() { return e2e::build_out().parent_path() / "fixtures" / "mcp-plugins"; }

std::string McpDaemon::toml_section(const Json& config) {
    std::string out = "\n[plugins.\"frontend.mcp-host\"]\n";
    for (const auto& [k, v] : config.items()) {
        if (k == "identities") continue;
        out += k + " = " + v.dump() + "\n";  // JSON scalars and string arrays are TOML too
    }
    if (config.contains("identities")) {
        out += "identities = [";
        for (const auto& i : config["identities"])
            out += "{ name = " + i["name"].dump() + ", role = " + i["role"].dump() + " },";
        if (out.back() == ',') out.pop_back();
        out += "]\n";
    }
    return out;
}

McpDaemon::McpDaemon(const Json& extra) {
    workspace_ = home_.path() / "ws";
    fs::create_directories(workspace_);
    for (const auto& [name, token] : {std::pair{"op", kOperatorToken}, std::pair{"reader", kReaderToken}}) {
        const auto set = e2e::run({e2e::bin("cowork").string(), "secrets", "set",
                                   std::string("plugin.frontend.mcp-host.tokens.") + name},
                                  home_, std::string(token) + "\n");
        if (set.exit_code != 0) return;
    }
    Json config{{"http", true},
                {"port", 0},
                {"default_workspace", workspace_.string()},
                {"bare_tool_plugins", {"tool.mcp-conformance"}},
                {"catalog_plugins", {"tool.mcp-conformance"}},
                // SEP-1699 polling well inside test_reconnection's 1.5 s (2025-11-25 sessions only).
                {"sse_poll_after_ms", 300},
                {"identities", {{{"name", "op"}, {"role", "operator"}}, {{"name", "reader"}, {"role", "read"}}}}};
    for (const auto& [k, v] : extra.items()) config[k] = v;
    const fs::path toml = home_.path() / "config/cowork.toml";
    fs::create_directories(toml.parent_path());
    std::ofstream(toml, std::ios::app) << toml_section(config);
    fs::permissions(toml, fs::perms::owner_read | fs::perms::owner_write);
    daemon_ = std::make_unique<e2e::Daemon>(home_, std::vector<std::string>{"--plugin-dir", mcp_fixture_plugins().string()});
    std::ifstream in(home_.path() / "data/plugin-data/frontend.mcp-host/listener.json");
    const Json listener = Json::parse(in, nullptr, false);
    if (!listener.is_object()) return;
    const std::string url = listener.value("url", "");
    const auto colon = url.rfind(':');
    if (colon != std::string::npos) port_ = static_cast<unsigned short>(std::stoi(url.substr(colon + 1)));
}

McpDaemon::~McpDaemon() {
    if (daemon_) daemon_->stop(SIGTERM);
}

}  // namespace mcp_test
