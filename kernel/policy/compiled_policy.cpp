#include "policy/layers.hpp"

namespace cowork::kernel::policy::detail {
namespace {

constexpr auto kRegexFlags = std::regex::ECMAScript | std::regex::icase;

}  // namespace

Result<std::shared_ptr<const CompiledPolicy>> CompiledPolicy::compile(PolicyRules rules) {
    // Round-trip through from_json so rules built in code are validated
    // exactly like rules read from the config file.
    auto checked = PolicyRules::from_json(rules.to_json());
    if (!checked) return std::move(checked).error();
    auto out = std::make_shared<CompiledPolicy>();
    out->rules = std::move(checked).value();
    for (const auto& pattern : out->rules.guardrails.blocked_commands)
        out->blocked_commands.emplace_back(pattern, kRegexFlags);
    auto add = [&](const std::vector<Rule>& list) {
        for (const auto& r : list)
            if (!r.command.empty()) out->rule_commands.emplace_back(&r, std::regex(r.command, kRegexFlags));
    };
    add(out->rules.contexts.operator_);
    add(out->rules.contexts.dm);
    add(out->rules.contexts.group);
    add(out->rules.tool_rules);
    return std::shared_ptr<const CompiledPolicy>(std::move(out));
}

const std::regex* CompiledPolicy::command_regex(const Rule& rule) const {
    for (const auto& [r, re] : rule_commands)
        if (r == &rule) return &re;
    return nullptr;
}

}  // namespace cowork::kernel::policy::detail
