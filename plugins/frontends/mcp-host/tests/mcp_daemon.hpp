// mcp_daemon.hpp — a real coworkd with frontend.mcp-host serving HTTP on an
// ephemeral port, two token identities ("op" operator, "reader" read) stored
// through `cowork secrets set`, and the conformance fixture plugin loaded.
#pragma once

#include "process_helpers.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace mcp_test {

class McpDaemon {
public:
    static constexpr const char* kOperatorToken = "op-token-0123456789abcdefghijklmnop";
    static constexpr const char* kReaderToken = "reader-token-0123456789abcdefghijkl";

    // `extra` is merged into [plugins."frontend.mcp-host"].
    explicit McpDaemon(const nlohmann::json& extra = nlohmann::json::object());
    ~McpDaemon();

    bool ok() const { return daemon_ && daemon_->ready() && port_ != 0; }
    unsigned short port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/mcp"; }
    const cowork::e2e::Home& home() const { return home_; }
    const std::filesystem::path& workspace() const { return workspace_; }
    cowork::e2e::Daemon& daemon() { return *daemon_; }
    // The host's section as written to cowork.toml (for `cowork mcp serve` runs).
    static std::string toml_section(const nlohmann::json& config);

private:
    cowork::e2e::Home home_;
    std::filesystem::path workspace_;
    std::unique_ptr<cowork::e2e::Daemon> daemon_;
    unsigned short port_ = 0;
};

// <build>/fixtures/mcp-plugins (tool.mcp-conformance).
std::filesystem::path mcp_fixture_plugins();

}  // namespace mcp_test
