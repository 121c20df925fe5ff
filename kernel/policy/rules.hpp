// kernel/policy/rules.hpp — the policy's data: guardrails, context rules,
// tool rules and defaults. Loaded from a JSON-shaped table (the config
// component converts its TOML tables) and serialised back the same way.
//
// Shape (every key optional):
//   { "guardrails": { "blocked_commands": ["regex", ...],
//                     "allowed_domains": ["example.com", "*.example.org"],
//                     "blocked_domains": [...] },
//     "defaults":   { "side_effecting": "ask", "read_only": "allow",
//                     "plugin_permission": "allow" },
//     "contexts":   { "operator": [Rule...], "dm": [Rule...], "group": [Rule...] },
//     "tool_rules": [Rule...] }
//   Rule = { "id": "no-shell-in-groups", "decision": "deny",
//            "tool": "tools.shell.*", "plugin": "tool.*", "permission": "net:connect",
//            "path": "/home/u/secret", "command": "regex", "host": "*.example.com",
//            "reason": "why (shown to the user)" }
#pragma once

#include "core/result.hpp"
#include "policy/decision.hpp"

#include <string>
#include <vector>

namespace cowork::kernel::policy {

// A rule matches when every field it sets matches the request.
struct Rule {
    std::string id;
    Verdict decision = Verdict::ask;
    std::string tool = "**";  // glob on the tool id (see match.hpp)
    std::string plugin;       // glob on the plugin id; empty: any
    std::string permission;   // plugin permission name; empty: any
    std::string path;         // path prefix (whole components)
    std::string command;      // ECMAScript regex, searched in the command
    std::string host;         // host pattern (see match.hpp)
    std::string reason;
};

struct Guardrails {
    std::vector<std::string> blocked_commands;  // ECMAScript regexes, case-insensitive search
    std::vector<std::string> allowed_domains;   // non-empty: only these hosts may be reached
    std::vector<std::string> blocked_domains;
};

struct Defaults {
    Verdict side_effecting = Verdict::ask;
    Verdict read_only = Verdict::allow;
    Verdict plugin_permission = Verdict::allow;  // declared in the manifest, nothing objects
};

struct ContextRules {
    std::vector<Rule> operator_;
    std::vector<Rule> dm;
    std::vector<Rule> group;
    std::vector<Rule> mcp;  // calls from MCP clients through frontend.mcp-host
};

struct PolicyRules {
    Guardrails guardrails;
    Defaults defaults;
    ContextRules contexts;
    std::vector<Rule> tool_rules;

    // Safe out-of-the-box rules: dangerous shell patterns blocked, shell
    // denied in group chats, deletes asked in DMs.
    static PolicyRules builtin();

    // What the kernel uses: the user's table (config.policy_table()) on top
    // of builtin(): built-in blocked commands always apply (user patterns are
    // added), built-in context rules apply unless a user rule in the same
    // context has the same id (which replaces it).
    static Result<PolicyRules> with_builtin(const Json& table);

    // Errors name the offending key ("tool_rules[2].decision") and what is expected.
    static Result<PolicyRules> from_json(const Json& table);
    Json to_json() const;
};

}  // namespace cowork::kernel::policy
