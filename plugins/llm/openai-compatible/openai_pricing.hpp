// openai_pricing.hpp — prices and limits of models served through
// Chat Completions: a built-in table for OpenAI's own models, overridden and
// extended by the config's `models` tables (global, then the profile's).
#pragma once

#include <cowork/sdk/llm/pricing.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace cowork::openai {

using Json = nlohmann::json;
using ModelTable = std::map<std::string, sdk::llm::ModelInfo>;

// OpenAI list prices, USD per million tokens, as published on
// openai.com/api/pricing in August 2025. Keys are id prefixes
// ("gpt-4o-mini" matches "gpt-4o-mini-2024-07-18").
const ModelTable& builtin_models();

// `overrides`: {"<model id>": {input_per_mtok, output_per_mtok,
// cache_read_per_mtok, context_window, max_output_tokens}} (snake_case as in
// cowork.toml; the camelCase of list_models is accepted too). Fields not
// given keep the built-in values.
void apply_overrides(ModelTable& table, const Json& overrides);

}  // namespace cowork::openai
