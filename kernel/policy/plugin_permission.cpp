// Plugin permissions: declared in the manifest AND allowed by the policy.
#include "policy/engine.hpp"

#include "policy/layers.hpp"
#include "policy/match.hpp"

#include <algorithm>

namespace cowork::kernel::policy {
namespace {

bool any_of(const std::vector<std::string>& patterns, auto&& matches) {
    return std::any_of(patterns.begin(), patterns.end(), matches);
}

bool declared_in(const plugins::Permissions& p, const PluginPermissionRequest& r) {
    switch (r.permission) {
        case PluginPermission::net_connect:
            return any_of(p.net_connect, [&](const auto& pat) { return host_matches(pat, r.target); });
        case PluginPermission::fs_read:
            return any_of(p.fs_read, [&](const auto& root) { return path_within(root, r.target); });
        case PluginPermission::fs_write:
            return any_of(p.fs_write, [&](const auto& root) { return path_within(root, r.target); });
        case PluginPermission::process_exec: return p.process_exec;
        case PluginPermission::secret_read:
            return any_of(p.secret_read, [&](const auto& key) { return glob_match(key, r.target); });
        case PluginPermission::secret_write:
            return any_of(p.secret_write, [&](const auto& key) { return glob_match(key, r.target); });
    }
    return false;
}

Request as_policy_request(const PluginPermissionRequest& r) {
    Request req;
    req.kind = RequestKind::plugin_permission;
    req.plugin_id = r.plugin_id;
    req.permission = std::string(to_string(r.permission));
    req.tool_id = "plugin." + r.plugin_id + "." + req.permission;
    switch (r.permission) {
        case PluginPermission::net_connect: req.target.host = r.target; break;
        case PluginPermission::fs_read:
        case PluginPermission::fs_write: req.target.path = r.target; break;
        case PluginPermission::process_exec: req.target.command = r.target; break;
        case PluginPermission::secret_read:
        case PluginPermission::secret_write: req.target.secret_key = r.target; break;
    }
    return req;
}

Decision undeclared(const PluginPermissionRequest& r) {
    const std::string perm(to_string(r.permission));
    Decision d;
    d.verdict = Verdict::deny;
    d.layer = Layer::manifest;
    d.rule_id = "manifest.permissions." + perm;
    d.reason = "plugin '" + r.plugin_id + "' did not declare " + perm +
               (r.target.empty() ? std::string() : " for '" + r.target + "'") +
               " in its cowork.plugin.json permissions; the plugin must declare it before policy can grant it";
    d.votes.push_back(Vote{d.verdict, d.layer, d.rule_id, d.reason});
    return d;
}

}  // namespace

std::string_view to_string(PluginPermission permission) {
    switch (permission) {
        case PluginPermission::net_connect: return "net:connect";
        case PluginPermission::fs_read: return "fs:read";
        case PluginPermission::fs_write: return "fs:write";
        case PluginPermission::process_exec: return "process:exec";
        case PluginPermission::secret_read: return "secret:read";
        case PluginPermission::secret_write: return "secret:write";
    }
    return "net:connect";
}

Decision PolicyEngine::check_plugin_permission(const PluginPermissionRequest& request,
                                               const plugins::Permissions& declared, Audit mode) const {
    const Request req = as_policy_request(request);
    Decision d;
    if (!declared_in(declared, request)) {
        d = undeclared(request);
    } else {
        const auto policy = snapshot();
        d = decide(*policy, req, policy->rules.defaults.plugin_permission, "plugin_permission");
    }
    audit(req, d, mode);
    return d;
}

}  // namespace cowork::kernel::policy
