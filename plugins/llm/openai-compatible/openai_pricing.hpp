// openai_pricing.hpp — prices and limits of models served through
// Chat Completions: a built-in table for OpenAI's own models, overridden and
// extended by the config's `models` tables (global, then the profile's) —
// merged by the shared llm_common::PriceTable.
#pragma once

#include <price_table.hpp>

namespace cowork::openai {

// OpenAI list prices, USD per million tokens, as published on
// openai.com/api/pricing in August 2025. Ids match by prefix
// ("gpt-4o-mini" matches "gpt-4o-mini-2024-07-18").
llm_common::PriceTable builtin_models();

}  // namespace cowork::openai
