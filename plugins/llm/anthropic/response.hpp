// plugins/llm/anthropic/response.hpp — Anthropic's answer in canonical terms:
// stop reasons, usage, error types, and a whole (non-streamed) message.
#pragma once

#include <turn.hpp>

#include <cowork/sdk/error.hpp>
#include <cowork/sdk/llm/tool_names.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::llm_anthropic {

using Json = nlohmann::json;

using llm_common::StreamFailure;
using llm_common::tool_id;
using llm_common::Turn;

// end_turn | tool_use | max_tokens | stop_sequence | refusal; anything newer
// (pause_turn, …) reads as end_turn so the runtime never sees an unknown value.
std::string map_stop_reason(const std::string& anthropic);

// Overwrites the canonical fields the Anthropic usage object carries (a
// message_delta carries only some of them).
void merge_usage(Json& canonical, const Json& anthropic_usage);

// An Anthropic error type (overloaded_error, …) → canonical error code.
std::string error_code_for_type(const std::string& type);
// Worth another attempt when nothing reached the caller yet.
bool retryable_type(const std::string& type);

// A complete Messages API response ({"type":"message",…}). A tool_use whose
// input is not an object becomes a tool_call with "argumentsError".
Turn turn_from_message(const Json& message, const sdk::llm::ToolNameMap& names);

}  // namespace cowork::llm_anthropic
