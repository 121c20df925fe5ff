// kernel/policy/decision.hpp — what the policy engine answers, and why.
#pragma once

#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::kernel::policy {

// Ordered by strength: combination picks the strongest vote (deny wins).
enum class Verdict { allow = 0, ask = 1, deny = 2 };

// Where a decision came from, in evaluation order. `manifest` is the
// plugin-permission pre-check (undeclared permission), `defaults` means no
// layer had an opinion.
enum class Layer { manifest, guardrails, workspace, context, tool_rules, defaults };

std::string_view to_string(Verdict verdict);
std::string_view to_string(Layer layer);
std::optional<Verdict> parse_verdict(std::string_view text);

// One layer's opinion about a request.
struct Vote {
    Verdict verdict;
    Layer layer;
    std::string rule_id;  // e.g. "guardrails.blocked_commands[0]", "tool_rules.no-shell"
    std::string reason;   // human: what matched and what to change
};

struct Decision {
    Verdict verdict = Verdict::ask;
    Layer layer = Layer::defaults;  // the layer whose vote decided
    std::string rule_id;
    std::string reason;             // says what to change to get a different answer
    std::vector<Vote> votes;        // every vote cast, in layer order (for explanations)

    bool allowed() const { return verdict == Verdict::allow; }
    Json to_json() const;
};

}  // namespace cowork::kernel::policy
