// plugins/llm/gemini/models.hpp — the models llm.gemini lists and what
// they cost: its built-in table merged with the `models` config overrides.
#pragma once

#include <price_table.hpp>

#include <nlohmann/json.hpp>

namespace cowork::llm_gemini {

// Built-in first (in the order listed: the first is the default model),
// then config-only models; a config entry with a built-in id overrides it.
llm_common::PriceTable model_table(const nlohmann::json& overrides);

}  // namespace cowork::llm_gemini
