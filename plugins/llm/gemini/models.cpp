#include "models.hpp"

namespace cowork::llm_gemini {
namespace {

using sdk::llm::ModelInfo;

// US$ per million tokens for text prompts up to 200k tokens (the Pro
// models cost more above that; not modelled), from ai.google.dev/pricing as
// quoted by third-party price trackers on 2026-11-25. Gemini bills thinking
// tokens as output; context-cache storage per hour is not included, and
// Gemini has no separate cache-write price. Ids are ones the API serves; a
// dated or -latest variant finds its family by prefix. Override in config.
const std::vector<ModelInfo>& builtin() {
    static const std::vector<ModelInfo> table = {
        {"gemini-2.5-flash", 1'048'576, 65'536, {0.30, 2.50, 0.03, 0}},
        {"gemini-2.5-pro", 1'048'576, 65'536, {1.25, 10.00, 0.125, 0}},
        {"gemini-2.5-flash-lite", 1'048'576, 65'536, {0.10, 0.40, 0.01, 0}},
        {"gemini-3-flash-preview", 1'048'576, 65'536, {0.50, 3.00, 0.05, 0}},
        {"gemini-3.1-pro-preview", 1'048'576, 65'536, {2.00, 12.00, 0.20, 0}},
    };
    return table;
}

}  // namespace

llm_common::PriceTable model_table(const nlohmann::json& overrides) {
    return llm_common::PriceTable(builtin()).merge(overrides);
}

}  // namespace cowork::llm_gemini
