// resource_catalog.hpp — CoWork's state as MCP resources (JSON documents):
//   cowork://workspaces            registered workspaces
//   cowork://workspaces/{id}       one workspace
//   cowork://tasks                 recent tasks
//   cowork://tasks/{id}            one task
//   cowork://tasks/{id}/events     a task's journal
// Each read is a kernel API call as the MCP identity, so read identities get
// the kernel's redacted views. Catalog plugins may add more (docs/mcp.md).
#pragma once

#include "catalog_extension.hpp"
#include "identity.hpp"

#include <cowork/sdk/host.hpp>

#include <string>

namespace cowork::mcp {

class ResourceCatalog {
public:
    ResourceCatalog(sdk::Host host, const CatalogExtension& extension) : host_(host), extension_(extension) {}

    nlohmann::json list(const Identity& who) const;       // MCP Resource objects
    nlohmann::json templates(const Identity& who) const;  // MCP ResourceTemplate objects
    // {contents:[…]}; RpcError(kResourceNotFound) for an unknown URI.
    nlohmann::json read(const Identity& who, const std::string& uri) const;
    // Completion values for a template variable ("id" of workspaces/tasks).
    nlohmann::json complete(const Identity& who, const std::string& uri_template, const std::string& argument,
                            const std::string& prefix) const;

private:
    nlohmann::json json_contents(const std::string& uri, const nlohmann::json& doc) const;

    sdk::Host host_;
    const CatalogExtension& extension_;
};

}  // namespace cowork::mcp
