#include "policy/engine.hpp"

#include "policy/layers.hpp"

namespace cowork::kernel::policy {

using detail::CompiledPolicy;

Result<std::unique_ptr<PolicyEngine>> PolicyEngine::create(PolicyRules rules, std::shared_ptr<AuditSink> audit) {
    auto compiled = CompiledPolicy::compile(std::move(rules));
    if (!compiled) return std::move(compiled).error();
    return std::unique_ptr<PolicyEngine>(new PolicyEngine(std::move(compiled).value(), std::move(audit)));
}

PolicyEngine::PolicyEngine(std::shared_ptr<const CompiledPolicy> policy, std::shared_ptr<AuditSink> audit)
    : policy_(std::move(policy)), audit_(std::move(audit)) {}

std::shared_ptr<const CompiledPolicy> PolicyEngine::snapshot() const {
    std::lock_guard lock(mutex_);
    return policy_;
}

Status PolicyEngine::replace_rules(PolicyRules rules) {
    auto compiled = CompiledPolicy::compile(std::move(rules));
    if (!compiled) return std::move(compiled).error();
    std::lock_guard lock(mutex_);
    policy_ = std::move(compiled).value();
    return ok_status();
}

PolicyRules PolicyEngine::rules() const { return snapshot()->rules; }

Decision PolicyEngine::decide(const CompiledPolicy& policy, const Request& request, Verdict default_verdict,
                              std::string default_key) const {
    Decision d;
    for (auto vote : {detail::guardrails_vote(policy, request), detail::workspace_vote(request),
                      detail::context_vote(policy, request), detail::tool_rules_vote(policy, request)})
        if (vote) d.votes.push_back(std::move(*vote));

    const Vote* decider = nullptr;
    for (const auto& v : d.votes)
        if (!decider || v.verdict > decider->verdict) decider = &v;  // strict '>': first of equals
    if (decider) {
        d.verdict = decider->verdict;
        d.layer = decider->layer;
        d.rule_id = decider->rule_id;
        d.reason = decider->reason;
        return d;
    }
    d.verdict = default_verdict;
    d.layer = Layer::defaults;
    d.rule_id = "defaults." + default_key;
    d.reason = "no rule matched " + (request.tool_id.empty() ? std::string("the request") : "'" + request.tool_id + "'") +
               ", so the default for " + default_key + " applies (" + std::string(to_string(default_verdict)) +
               "); add a [[policy.tool_rules]] entry for it, or change [policy] default_" + default_key +
               ", to decide otherwise";
    return d;
}

Decision PolicyEngine::evaluate(const Request& request, Audit mode) const {
    const auto policy = snapshot();
    const auto& defaults = policy->rules.defaults;
    Decision d = request.read_only ? decide(*policy, request, defaults.read_only, "read_only")
                                   : decide(*policy, request, defaults.side_effecting, "side_effecting");
    audit(request, d, mode);
    return d;
}

void PolicyEngine::audit(const Request& request, const Decision& decision, Audit mode) const {
    if (!audit_) return;
    const bool may_skip = mode == Audit::skip_if_read_only_allow && request.read_only && decision.allowed();
    if (may_skip) return;
    audit_->record(AuditRecord{std::chrono::system_clock::now(), request.to_json(), decision});
}

}  // namespace cowork::kernel::policy
