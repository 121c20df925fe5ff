// catalog_extension.hpp — the host's extension point for resources and
// prompts served by tool plugins (settings.catalog_plugins; tests only, see
// docs/mcp.md). The host calls the plugin's `mcp_catalog` tool through the
// kernel's tool.call — policy applies as to any tool — with
// {"op": "<MCP method>", "params": {…}} and reads one text part holding the
// MCP result as JSON.
#pragma once

#include "identity.hpp"
#include "settings.hpp"

#include <cowork/sdk/host.hpp>

#include <string>

namespace cowork::mcp {

class CatalogExtension {
public:
    CatalogExtension(sdk::Host host, const Settings& settings) : host_(host), settings_(settings) {}

    bool active() const { return !settings_.catalog_plugins.empty(); }
    // Every catalog plugin's `key` array for a list op, concatenated. A
    // plugin that fails is skipped (and logged): one bad extension must not
    // hide the kernel's own resources.
    nlohmann::json list(const Identity& who, const std::string& op, const std::string& key) const;
    // The first catalog plugin's answer that is not an error; throws
    // RpcError(not_found_code) with the last error otherwise.
    nlohmann::json first(const Identity& who, const std::string& op, const nlohmann::json& params,
                         int not_found_code) const;

private:
    nlohmann::json ask(const Identity& who, const std::string& plugin, const std::string& op,
                       const nlohmann::json& params) const;

    sdk::Host host_;
    const Settings& settings_;
};

}  // namespace cowork::mcp
