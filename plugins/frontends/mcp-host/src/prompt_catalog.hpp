// prompt_catalog.hpp — CoWork skills (skill.list / skill.get) as MCP
// prompts: the skill id is the prompt name, its parameters the arguments,
// its rendered template one user message. Catalog plugins may add more.
#pragma once

#include "catalog_extension.hpp"
#include "identity.hpp"

#include <cowork/sdk/host.hpp>

#include <string>

namespace cowork::mcp {

class PromptCatalog {
public:
    PromptCatalog(sdk::Host host, const CatalogExtension& extension) : host_(host), extension_(extension) {}

    nlohmann::json list(const Identity& who) const;  // MCP Prompt objects
    // {description, messages}; RpcError(kInvalidParams) for an unknown prompt
    // or a missing required argument.
    nlohmann::json get(const Identity& who, const std::string& name, const nlohmann::json& arguments) const;
    // Completion values for one argument: the skill parameter's default when
    // it starts with what was typed (skills declare no other value sets).
    nlohmann::json complete(const Identity& who, const std::string& name, const std::string& argument,
                            const std::string& prefix) const;

private:
    std::optional<nlohmann::json> skill(const Identity& who, const std::string& id) const;

    sdk::Host host_;
    const CatalogExtension& extension_;
};

}  // namespace cowork::mcp
