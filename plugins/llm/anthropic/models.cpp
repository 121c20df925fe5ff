#include "models.hpp"

namespace cowork::llm_anthropic {
namespace {

using sdk::llm::ModelInfo;

// US$ per million tokens, from Anthropic's pricing page as of 2026-11-25
// (platform.claude.com/docs/en/about-claude/pricing). "cache write" is the
// 5-minute ephemeral write, the only kind this plugin asks for. Haiku 5.5 is
// priced by prompt length; its lower (<= 100k tokens) band is listed.
// Prices change: override them in config rather than trusting this table.
const std::vector<ModelInfo>& builtin() {
    static const std::vector<ModelInfo> table = {
        {"claude-sonnet-5-5", 1'000'000, 128'000, {2.00, 10.00, 0.10, 2.50}},
        {"claude-opus-5-5", 1'000'000, 128'000, {4.00, 20.00, 0.20, 5.00}},
        {"claude-haiku-5-5", 1'000'000, 128'000, {0.10, 0.50, 0.01, 0.125}},
        {"claude-sonnet-5", 1'000'000, 128'000, {2.00, 10.00, 0.20, 2.50}},
        {"claude-opus-5", 1'000'000, 128'000, {5.00, 25.00, 0.50, 6.25}},
        {"claude-haiku-4-5", 200'000, 64'000, {1.00, 5.00, 0.10, 1.25}},
        {"claude-sonnet-4-5", 200'000, 64'000, {3.00, 15.00, 0.30, 3.75}},
    };
    return table;
}

}  // namespace

llm_common::PriceTable model_table(const nlohmann::json& overrides) {
    return llm_common::PriceTable(builtin()).merge(overrides);
}

}  // namespace cowork::llm_anthropic
