// kernel/agent/tool_registry.hpp — the one path to a tool: listing,
// schema validation, the policy decision, the call, the output cap.
//
// The API (`tool.call`) and the agent loop both go through prepare() then
// execute(); what differs is only who answers an `ask` (an explicit
// operator flag, or an approval row a person decides).
#pragma once

#include "agent/interface_finder.hpp"
#include "agent/running_calls.hpp"
#include "core/result.hpp"
#include "policy/engine.hpp"

#include <cowork/abi.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cowork::kernel::agent {

struct ToolRef {
    std::string id;  // "<plugin id>.<tool name>"
    std::string plugin_id;
    std::string name;
    const cowork_tool_provider_v1* table = nullptr;
    Json spec;  // as listed: name, description, inputSchema, annotations

    bool read_only() const;
    // The cowork.llm/1 tool entry: {name: id, description, inputSchema}.
    Json llm_spec() const;
};

// Who is acting and where: what the policy and the tool see.
struct ToolContext {
    std::string task_id;                 // empty for direct API calls
    std::string workspace;               // absolute, canonical folder
    std::string workspace_id;            // empty: not a registered workspace
    Json workspace_permissions = nullptr;  // {read, write, delete, shell, network, allowedPaths}
    policy::Caller caller;
    policy::Context context = policy::Context::operator_;  // whose rules apply (contexts.*)
};

struct PreparedCall {
    ToolRef tool;
    Json arguments;
    ToolContext context;
    policy::Decision decision;
};

struct ToolOutcome {
    std::string text;  // capped; what the model sees
    // The tool's content parts in order (text, image, audio, resource,
    // resource_link) for API callers that can show them (the MCP host);
    // empty when the tool returned none, an unknown part, or more than
    // kMaxContentBytes — callers then use `text`.
    Json content = Json::array();
    bool is_error = false;
    cowork_status status = COWORK_OK;  // the slot's own status (not OK: the call itself failed)
    Json raw_events = Json::array();  // progress events (at most 200)
};

inline constexpr size_t kMaxContentBytes = 8 * 1024 * 1024;

// Who is on the other end of one call while it runs.
struct CallHooks {
    std::function<void(const Json& event)> on_event;  // each tool event, live
    std::shared_ptr<Responder> responder;             // answers tool.request; null: nobody
    std::string owner;                                // API caller that may cancel/answer; empty: the agent
};

class ToolRegistry {
public:
    ToolRegistry(InterfaceFinder finder, policy::PolicyEngine& policy, size_t output_cap_bytes);

    // [any-thread] Every tool of every Running tool provider (asks each plugin).
    std::vector<ToolRef> list() const;
    Result<ToolRef> find(const std::string& id) const;

    // Errors: INVALID_PARAMS (unknown tool, arguments not matching the
    // schema, listing problems in details), POLICY_DENIED. An `ask`
    // comes back as a PreparedCall whose decision says so.
    Result<PreparedCall> prepare(const std::string& id, const Json& arguments, const ToolContext& context) const;
    Result<PreparedCall> prepare(const ToolRef& tool, const Json& arguments, const ToolContext& context) const;

    // [worker] Runs the call. A tool's own failure (isError, or a non-OK
    // status) is an outcome with is_error, not an Error: the model sees it.
    // While it runs the call is in running(): its tool can ask its caller
    // (tool.request) and an owning API caller can cancel it.
    ToolOutcome execute(const PreparedCall& call, const std::string& call_id, const CallHooks& hooks = {}) const;
    // [any-thread] Asks the provider to stop a running call.
    void cancel(const ToolRef& tool, const std::string& call_id) const;

    size_t output_cap() const { return output_cap_; }
    RunningCalls& running() const { return running_; }

private:
    policy::Request policy_request(const ToolRef& tool, const Json& args, const ToolContext& context) const;

    InterfaceFinder finder_;
    policy::PolicyEngine& policy_;
    size_t output_cap_;
    mutable RunningCalls running_;
};

// WorkspacePermissions from a workspaces.permissions JSON object.
policy::WorkspacePermissions workspace_permissions_from_json(const Json& j);

}  // namespace cowork::kernel::agent
