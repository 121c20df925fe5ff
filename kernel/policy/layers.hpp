// kernel/policy/layers.hpp — internal: one function per policy layer.
// Each returns the layer's vote, or nothing when it has no opinion.
#pragma once

#include "policy/decision.hpp"
#include "policy/request.hpp"
#include "policy/rules.hpp"

#include <optional>
#include <regex>
#include <vector>

namespace cowork::kernel::policy::detail {

// PolicyRules with their regexes compiled once.
struct CompiledPolicy {
    PolicyRules rules;
    std::vector<std::regex> blocked_commands;
    // Compiled `command` of every rule, keyed by the rule's address in `rules`.
    std::vector<std::pair<const Rule*, std::regex>> rule_commands;

    static Result<std::shared_ptr<const CompiledPolicy>> compile(PolicyRules rules);
    const std::regex* command_regex(const Rule& rule) const;
};

std::string effective_host(const Request& request);

std::optional<Vote> guardrails_vote(const CompiledPolicy& policy, const Request& request);
std::optional<Vote> workspace_vote(const Request& request);
std::optional<Vote> context_vote(const CompiledPolicy& policy, const Request& request);
std::optional<Vote> tool_rules_vote(const CompiledPolicy& policy, const Request& request);

}  // namespace cowork::kernel::policy::detail
