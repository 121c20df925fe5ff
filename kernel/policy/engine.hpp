// kernel/policy/engine.hpp — layered, deny-wins policy decisions.
//
// Layers, in order: guardrails → workspace permissions → context (operator /
// dm / group) → tool rules. Each may vote allow / ask / deny or abstain.
// Any deny wins; else any ask; else allow if some layer allowed; else the
// configured default (side-effecting: ask, read-only: allow).
//
// Construction (kernel):
//   auto rules  = policy::PolicyRules::with_builtin(config.policy_table()); // [guardrails] + [policy]
//   auto engine = policy::PolicyEngine::create(*rules, audit_log_sink); // Result<unique_ptr>
// Thread-safety: evaluate() and check_plugin_permission() are [any-thread];
// replace_rules() swaps atomically (a reload never sees half a rule set).
#pragma once

#include "plugins/manifest.hpp"
#include "policy/audit_sink.hpp"
#include "policy/decision.hpp"
#include "policy/request.hpp"
#include "policy/rules.hpp"

#include <memory>
#include <mutex>

namespace cowork::kernel::policy {

namespace detail {
struct CompiledPolicy;
}

enum class PluginPermission { net_connect, fs_read, fs_write, process_exec, secret_read, secret_write };
std::string_view to_string(PluginPermission permission);  // "net:connect", ...

struct PluginPermissionRequest {
    std::string plugin_id;
    PluginPermission permission = PluginPermission::net_connect;
    // net_connect: host[:port]; fs_*: absolute resolved path; secret_*: key
    // name; process_exec: the command (may be empty).
    std::string target;
};

class PolicyEngine {
public:
    // `audit` may be null only for offline tools (`cowork policy explain`);
    // the kernel always passes its audit_log sink. Fails on invalid rules
    // (bad regex, bad decision) with the offending key named.
    static Result<std::unique_ptr<PolicyEngine>> create(PolicyRules rules, std::shared_ptr<AuditSink> audit);

    Decision evaluate(const Request& request, Audit audit = Audit::record) const;

    // Granted only when the manifest declares it AND the policy allows it.
    Decision check_plugin_permission(const PluginPermissionRequest& request, const plugins::Permissions& declared,
                                     Audit audit = Audit::record) const;

    Status replace_rules(PolicyRules rules);
    PolicyRules rules() const;

private:
    PolicyEngine(std::shared_ptr<const detail::CompiledPolicy> policy, std::shared_ptr<AuditSink> audit);
    std::shared_ptr<const detail::CompiledPolicy> snapshot() const;
    Decision decide(const detail::CompiledPolicy& policy, const Request& request, Verdict default_verdict,
                    std::string default_key) const;
    void audit(const Request& request, const Decision& decision, Audit mode) const;

    mutable std::mutex mutex_;  // guards policy_ (the pointer, not the rules)
    std::shared_ptr<const detail::CompiledPolicy> policy_;
    std::shared_ptr<AuditSink> audit_;
};

}  // namespace cowork::kernel::policy
