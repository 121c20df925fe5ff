// plugins/llm/anthropic/models.hpp — the models llm.anthropic lists and what
// they cost: a built-in table merged with the `models` config overrides.
#pragma once

#include <cowork/sdk/llm/pricing.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cowork::llm_anthropic {

// Built-in first (in the order listed: the first is the default model),
// then config-only models; a config entry with a built-in id overrides it.
std::vector<sdk::llm::ModelInfo> model_table(const nlohmann::json& overrides);

// Longest-prefix match, so a dated snapshot id finds its family's price.
std::optional<sdk::llm::ModelInfo> find_model(const std::vector<sdk::llm::ModelInfo>& table,
                                              const std::string& model);

}  // namespace cowork::llm_anthropic
