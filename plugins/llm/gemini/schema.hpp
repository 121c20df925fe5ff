// plugins/llm/gemini/schema.hpp — a tool's JSON Schema turned into the
// OpenAPI 3.0 subset Gemini accepts for function parameters. Gemini
// rejects a declaration containing keywords it does not know
// (additionalProperties, $schema, …), so anything outside its subset is
// dropped or rewritten to the nearest thing it understands.
#pragma once

#include <nlohmann/json.hpp>

namespace cowork::llm_gemini {

// Returns null when the schema declares no parameters at all (Gemini
// refuses an OBJECT with empty properties: the declaration then omits
// `parameters`).
nlohmann::json to_gemini_schema(const nlohmann::json& json_schema);

}  // namespace cowork::llm_gemini
