// ollama_models.hpp — list_models from /api/tags, with the context window
// from /api/show's model_info ("<architecture>.context_length").
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cowork::ollama {

using Json = nlohmann::json;

std::vector<std::string> model_names(const Json& tags);
int64_t context_length(const Json& show);

// One list_models entry: cost 0 (local); the config's `models.<id>` entry
// (context_window, …; llm_common::apply_override) wins over /api/show.
Json model_entry(const std::string& id, int64_t context_window, const Json& overrides);

}  // namespace cowork::ollama
