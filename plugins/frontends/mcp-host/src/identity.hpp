// identity.hpp — who an MCP client is, and the kernel caller it acts as.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cowork::mcp {

struct Identity {
    std::string name;  // "claude" (HTTP token identity) or "stdio"
    std::string role;  // "read" | "operator"

    // read → read; operator → read, write. Never approve: an MCP client
    // cannot answer a policy "ask" for the operator (see docs/mcp.md).
    std::vector<std::string> scopes() const;
    bool can_write() const { return role == "operator"; }
    // {"id":"mcp:<name>","role","scopes","transport":"mcp"} for cowork.api/1.
    nlohmann::json caller() const;
};

}  // namespace cowork::mcp
