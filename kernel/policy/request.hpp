// kernel/policy/request.hpp — everything the engine may look at for one decision.
#pragma once

#include "core/result.hpp"

#include <string>
#include <vector>

namespace cowork::kernel::policy {

enum class RequestKind { tool, plugin_permission, api, channel_sender };
// Who is talking: the owner, a DM, a group chat, or an MCP client of the MCP host.
enum class Context { operator_, dm, group, mcp };

std::string_view to_string(RequestKind kind);
std::string_view to_string(Context context);

// Workspace permission flags (workspaces.permissions). A missing flag is a
// gate: the workspace layer denies tools that need it; a present flag grants
// nothing by itself.
struct WorkspacePermissions {
    bool read = true;
    bool write = false;
    bool del = false;      // "delete"
    bool shell = false;
    bool network = false;
    std::vector<std::string> allowed_paths;  // absolute roots; empty: no path confinement here
};

// What a tool call does, as declared by the tool's provider. The workspace
// layer compares this with WorkspacePermissions.
struct Effects {
    bool read = false;
    bool write = false;
    bool del = false;
    bool shell = false;
    bool network = false;
};

// The thing being acted on. Paths must already be resolved (symlinks, `..`)
// by the caller: matching here is lexical.
struct Target {
    std::string path;
    std::string command;
    std::string host;        // host or host:port; derived from url when empty
    std::string url;
    std::string secret_key;  // name only, never a value
};

struct Caller {
    std::string role;                 // admin | operator | read | "" (internal)
    std::vector<std::string> scopes;  // e.g. "tasks:write"
};

struct Request {
    RequestKind kind = RequestKind::tool;
    // tool: namespaced tool id ("tools.shell.run_command"); api: the method
    // ("api.task.create"); channel_sender: "channel.<plugin>.<sender>";
    // plugin_permission: filled by the engine ("plugin.<id>.<permission>").
    std::string tool_id;
    std::string plugin_id;
    std::string permission;           // plugin_permission only: "net:connect", "fs:read", ...
    std::string workspace_id;
    WorkspacePermissions workspace;
    bool has_workspace = false;       // false: the workspace layer abstains
    Effects effects;
    Context context = Context::operator_;
    Caller caller;
    std::string required_scope;       // api: scope the method needs ("" = none)
    Target target;
    bool read_only = false;           // picks the default when no layer votes

    // For the audit trail: target strings pass through the Redactor.
    Json to_json() const;
};

}  // namespace cowork::kernel::policy
