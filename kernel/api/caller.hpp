// kernel/api/caller.hpp — who is calling the API, and what they may do.
#pragma once

#include "core/result.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace cowork::kernel::api {

// Scopes a method can require. Roles are bundles of scopes:
//   admin    → read, write, approve, admin
//   operator → read, write, approve
//   read     → read (and sees redacted tasks/workspaces)
inline constexpr const char* kScopeRead = "read";
inline constexpr const char* kScopeWrite = "write";
inline constexpr const char* kScopeApprove = "approve";
inline constexpr const char* kScopeAdmin = "admin";

std::vector<std::string> scopes_for_role(const std::string& role);

struct Caller {
    std::string id;         // "cli:local", "device:3f2a…", "plugin:frontend.hooks"
    std::string role;       // admin | operator | read
    std::vector<std::string> scopes;
    std::string transport;  // "inproc", "control-plane", "hooks", "mcp", "cli"

    bool has_scope(const std::string& scope) const {
        return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
    }
    // Read-only callers get redacted views (no prompts, no local paths).
    bool redacted() const { return !has_scope(kScopeWrite) && !has_scope(kScopeAdmin); }

    Json to_json() const { return {{"id", id}, {"role", role}, {"scopes", scopes}, {"transport", transport}}; }
    static Result<Caller> from_json(const Json& j);

    // The kernel acting for itself (CLI in-process, scheduler).
    static Caller system(std::string transport = "inproc");
};

}  // namespace cowork::kernel::api
