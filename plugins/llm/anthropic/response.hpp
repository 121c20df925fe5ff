// plugins/llm/anthropic/response.hpp — Anthropic's answer in canonical terms:
// stop reasons, usage, error types, and a whole (non-streamed) message.
#pragma once

#include <cowork/sdk/error.hpp>
#include <cowork/sdk/llm/tool_names.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::llm_anthropic {

using Json = nlohmann::json;

// One assistant turn, whether streamed or not.
struct Turn {
    Json content = Json::array();  // canonical text / tool_call parts
    std::string stop_reason = "end_turn";
    Json usage = {{"inputTokens", 0}, {"outputTokens", 0}, {"cacheReadTokens", 0}, {"cacheWriteTokens", 0}};
    std::string model;
};

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

// The tool name Anthropic used → CoWork's id (unknown names pass through:
// the runtime reports a tool the model made up).
std::string tool_id(const sdk::llm::ToolNameMap& names, const std::string& provider_name);

// `malformed` error for tool arguments that are not a JSON object.
sdk::Error malformed_arguments(const std::string& tool, const std::string& text);

// A complete Messages API response ({"type":"message",…}).
Turn turn_from_message(const Json& message, const sdk::llm::ToolNameMap& names);

}  // namespace cowork::llm_anthropic
