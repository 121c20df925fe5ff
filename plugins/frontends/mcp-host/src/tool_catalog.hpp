// tool_catalog.hpp — the kernel's tools as MCP tools. Listing maps
// tool.list entries (schemas, annotations) to MCP tool objects; calling goes
// through the kernel's tool.call as the MCP identity, so the policy engine
// decides every call exactly as it does for the CLI and the agent.
#pragma once

#include "identity.hpp"
#include "settings.hpp"

#include <cowork/sdk/host.hpp>

#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace cowork::mcp {

// The argument every listed tool gains: where it runs.
inline constexpr const char* kWorkspaceArgument = "cowork_workspace";
// A tool a catalog plugin (settings.catalog_plugins) serves resources and
// prompts through; never listed as a tool.
inline constexpr const char* kCatalogTool = "mcp_catalog";

// The MCP side of one running call: where its events and questions go while
// it runs. Both callbacks run on the kernel's thread running the tool.
struct CallLink {
    std::string call_id;               // unique per session and request
    std::vector<std::string> answers;  // question kinds the MCP client can answer
    std::function<void(const nlohmann::json& event)> on_event;  // a tool event (progress, log)
    // {"requestId","kind","params"}: a question for the client; the answer
    // goes back through respond().
    std::function<void(const nlohmann::json& question)> on_question;
};

class ToolCatalog {
public:
    ToolCatalog(sdk::Host host, const Settings& settings) : host_(host), settings_(settings) {}

    nlohmann::json list(const Identity& who) const;  // MCP Tool objects
    // Throws RpcError(kInvalidParams) for an unknown tool; every refusal by
    // scope or policy is an isError result that says what to do.
    // Returns the MCP CallToolResult.
    nlohmann::json call(const Identity& who, const std::string& name, nlohmann::json arguments, const CallLink& link) const;
    // The client's answer to a question of call `call_id` (an MCP result, or
    // the JSON-RPC error object when it refused). Never throws.
    void respond(const Identity& who, const std::string& call_id, const std::string& question_id,
                 const nlohmann::json& result, const nlohmann::json& error) const;
    // The client cancelled the call: the kernel asks the tool to stop.
    void cancel(const Identity& who, const std::string& call_id) const;

private:
    struct Entry {
        std::string mcp_name;
        std::string kernel_id;
        nlohmann::json spec;
    };
    std::vector<Entry> entries(const Identity& who) const;
    std::string workspace_path(const Identity& who, const std::string& value) const;

    sdk::Host host_;
    const Settings& settings_;
};

// MCP ToolAnnotations from the kernel's {readOnly, approval}.
nlohmann::json mcp_annotations(const nlohmann::json& kernel_annotations);

}  // namespace cowork::mcp
