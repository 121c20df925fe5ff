#include "policy/layers.hpp"

#include "policy/match.hpp"

#include <algorithm>

namespace cowork::kernel::policy::detail {
namespace {

Vote deny(Layer layer, std::string rule_id, std::string reason) {
    return Vote{Verdict::deny, layer, std::move(rule_id), std::move(reason)};
}

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

bool rule_matches(const CompiledPolicy& policy, const Rule& rule, const Request& req) {
    if (!glob_match(rule.tool, req.tool_id)) return false;
    if (!rule.plugin.empty() && (req.plugin_id.empty() || !glob_match(rule.plugin, req.plugin_id))) return false;
    if (!rule.permission.empty() && rule.permission != req.permission) return false;
    if (!rule.path.empty() && !path_within(rule.path, req.target.path)) return false;
    if (!rule.host.empty()) {
        const std::string host = effective_host(req);
        if (host.empty() || !host_matches(rule.host, host)) return false;
    }
    if (!rule.command.empty()) {
        const std::regex* re = policy.command_regex(rule);
        if (req.target.command.empty() || !re || !std::regex_search(req.target.command, *re)) return false;
    }
    return true;
}

// Within one layer the strongest matching rule speaks; among equals, the first.
std::optional<Vote> strongest_rule(const CompiledPolicy& policy, const std::vector<Rule>& rules,
                                   const Request& req, Layer layer, const std::string& prefix) {
    const Rule* best = nullptr;
    for (const auto& rule : rules)
        if (rule_matches(policy, rule, req) && (!best || rule.decision > best->decision)) best = &rule;
    if (!best) return std::nullopt;
    std::string reason = best->reason.empty() ? "matched" : best->reason;
    reason += " (rule " + in_quotes(best->id) + " in [policy] " + prefix + " says " + std::string(to_string(best->decision)) +
              "; edit or remove that rule to change this)";
    return Vote{best->decision, layer, prefix + "." + best->id, std::move(reason)};
}

std::optional<Vote> scope_vote(const Request& req) {
    if (req.required_scope.empty() || req.caller.role == "admin") return std::nullopt;
    const auto& scopes = req.caller.scopes;
    if (std::find(scopes.begin(), scopes.end(), req.required_scope) != scopes.end()) return std::nullopt;
    return deny(Layer::guardrails, "guardrails.scope",
                "caller (role " + in_quotes(req.caller.role) + ") lacks scope " + in_quotes(req.required_scope) + " needed for " +
                    in_quotes(req.tool_id) + "; grant that scope to the caller's device or token");
}

std::optional<Vote> command_vote(const CompiledPolicy& policy, const Request& req) {
    if (req.target.command.empty()) return std::nullopt;
    for (size_t i = 0; i < policy.blocked_commands.size(); ++i) {
        if (!std::regex_search(req.target.command, policy.blocked_commands[i])) continue;
        return deny(Layer::guardrails, "guardrails.blocked_commands[" + std::to_string(i) + "]",
                    "the command matches blocked pattern " + in_quotes(policy.rules.guardrails.blocked_commands[i]) +
                        "; remove that pattern from [guardrails] blocked_commands to allow it");
    }
    return std::nullopt;
}

std::optional<Vote> domain_vote(const CompiledPolicy& policy, const Request& req) {
    const std::string host = effective_host(req);
    if (host.empty()) return std::nullopt;
    const auto& g = policy.rules.guardrails;
    for (size_t i = 0; i < g.blocked_domains.size(); ++i)
        if (host_matches(g.blocked_domains[i], host))
            return deny(Layer::guardrails, "guardrails.blocked_domains[" + std::to_string(i) + "]",
                        "host " + in_quotes(host) + " matches blocked domain " + in_quotes(g.blocked_domains[i]) +
                            "; remove it from [guardrails] blocked_domains to allow it");
    if (g.allowed_domains.empty()) return std::nullopt;
    const bool listed = std::any_of(g.allowed_domains.begin(), g.allowed_domains.end(),
                                    [&](const auto& pattern) { return host_matches(pattern, host); });
    if (listed) return std::nullopt;
    return deny(Layer::guardrails, "guardrails.allowed_domains",
                "host " + in_quotes(host) + " is not in [guardrails] allowed_domains; add it (or a pattern such as '*." +
                    host + "') to allow it");
}

struct Needed {
    bool needed;
    bool granted;
    const char* name;
};

}  // namespace

std::string effective_host(const Request& request) {
    return request.target.host.empty() ? host_of_url(request.target.url) : request.target.host;
}

std::optional<Vote> guardrails_vote(const CompiledPolicy& policy, const Request& req) {
    if (auto v = scope_vote(req)) return v;
    if (auto v = command_vote(policy, req)) return v;
    return domain_vote(policy, req);
}

std::optional<Vote> workspace_vote(const Request& req) {
    if (!req.has_workspace) return std::nullopt;
    const auto& w = req.workspace;
    const auto& e = req.effects;
    const Needed checks[] = {{e.read, w.read, "read"},    {e.write, w.write, "write"},
                             {e.del, w.del, "delete"},    {e.shell, w.shell, "shell"},
                             {e.network, w.network, "network"}};
    for (const auto& c : checks)
        if (c.needed && !c.granted)
            return deny(Layer::workspace, std::string("workspace.") + c.name,
                        "workspace " + in_quotes(req.workspace_id) + " does not have the " + in_quotes(c.name) +
                            " permission; enable it in the workspace's permissions to allow " + in_quotes(req.tool_id));
    if (!w.allowed_paths.empty() && !req.target.path.empty()) {
        const bool inside = std::any_of(w.allowed_paths.begin(), w.allowed_paths.end(),
                                        [&](const auto& root) { return path_within(root, req.target.path); });
        if (!inside)
            return deny(Layer::workspace, "workspace.allowed_paths",
                        "path " + in_quotes(req.target.path) + " is outside workspace " + in_quotes(req.workspace_id) +
                            "'s allowed paths; add its folder to the workspace's allowed paths");
    }
    return std::nullopt;
}

std::optional<Vote> context_vote(const CompiledPolicy& policy, const Request& req) {
    const auto& c = policy.rules.contexts;
    switch (req.context) {
        case Context::operator_: return strongest_rule(policy, c.operator_, req, Layer::context, "contexts.operator");
        case Context::dm: return strongest_rule(policy, c.dm, req, Layer::context, "contexts.dm");
        case Context::group: return strongest_rule(policy, c.group, req, Layer::context, "contexts.group");
        case Context::mcp: return strongest_rule(policy, c.mcp, req, Layer::context, "contexts.mcp");
    }
    return std::nullopt;
}

std::optional<Vote> tool_rules_vote(const CompiledPolicy& policy, const Request& req) {
    return strongest_rule(policy, policy.rules.tool_rules, req, Layer::tool_rules, "tool_rules");
}

}  // namespace cowork::kernel::policy::detail
