#include "policy/decision.hpp"

namespace cowork::kernel::policy {

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
        case Verdict::allow: return "allow";
        case Verdict::ask: return "ask";
        case Verdict::deny: return "deny";
    }
    return "deny";
}

std::string_view to_string(Layer layer) {
    switch (layer) {
        case Layer::manifest: return "manifest";
        case Layer::guardrails: return "guardrails";
        case Layer::workspace: return "workspace";
        case Layer::context: return "context";
        case Layer::tool_rules: return "tool_rules";
        case Layer::defaults: return "defaults";
    }
    return "defaults";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
    if (text == "allow") return Verdict::allow;
    if (text == "ask") return Verdict::ask;
    if (text == "deny") return Verdict::deny;
    return std::nullopt;
}

Json Decision::to_json() const {
    Json votes_json = Json::array();
    for (const auto& v : votes)
        votes_json.push_back({{"decision", to_string(v.verdict)}, {"layer", to_string(v.layer)},
                              {"rule", v.rule_id}, {"reason", v.reason}});
    return {{"decision", to_string(verdict)}, {"layer", to_string(layer)}, {"rule", rule_id},
            {"reason", reason}, {"votes", votes_json}};
}

}  // namespace cowork::kernel::policy
