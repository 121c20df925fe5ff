// plugins/llm/common/turn.hpp — the canonical pieces of an assistant turn
// that every provider produces the same way: tool_call parts (with the one
// cowork.llm/1 answer to arguments that are not a JSON object), usage, the
// complete() result, and a failure reported inside a stream.
#pragma once

#include <cowork/abi.h>
#include <cowork/sdk/llm/tool_names.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace cowork::llm_common {

using Json = nlohmann::json;

// Provider text quoted in a message: at most `cap` bytes (cut on a UTF-8
// character boundary), "…" marking the cut.
std::string quote(std::string_view text, size_t cap = 200);

// The text of canonical content: a string as is, an array of parts as its
// text parts joined (images and tool parts have no text).
std::string text_of_parts(const Json& content);

// The request's `tools` as OpenAI-style function tools ({"type":"function",
// "function":{name, description, parameters}}), which Chat Completions and
// Ollama both take; names sanitized through `names`.
Json function_tools(const Json& request, sdk::llm::ToolNameMap& names);

// {"inputTokens":0,"outputTokens":0,"cacheReadTokens":0,"cacheWriteTokens":0}
Json zero_usage();

// The tool name a provider used → CoWork's id. A name never offered stays as
// the provider spelled it: the runtime reports a tool the model made up.
std::string tool_id(const sdk::llm::ToolNameMap& names, const std::string& provider_name);

struct ToolArguments {
    Json value = Json::object();
    std::string error;  // non-empty: `value` is {} and this says what was wrong
};

// `raw` as the provider sent it: JSON text (a string; empty or blank means
// no arguments) or an already-parsed value. Anything but an object is an
// error quoting the text, capped at 200 bytes.
ToolArguments parse_tool_arguments(const Json& raw);

// A canonical tool_call part. Arguments that are not a JSON object do not
// fail the call: the part carries "arguments": {} and "argumentsError", and
// the runtime answers the model with a tool error instead of running it.
Json tool_call_part(const std::string& id, const std::string& name, const Json& raw_arguments);

// One assistant turn, whether streamed or not.
struct Turn {
    Json content = Json::array();  // canonical text / tool_call parts
    std::string stop_reason = "end_turn";
    Json usage = zero_usage();
    std::string model;
};

// The complete() result of cowork.llm/1.
Json completion_result(const Turn& turn, double cost_usd, std::chrono::steady_clock::time_point started, int attempts);

// An error a stream reported itself (or a broken stream), kept as a value:
// chunks are fed from inside the kernel's HTTP callback, where throwing is
// not allowed, so the verdict is taken when the turn is finished.
struct StreamFailure {
    cowork_status status = COWORK_E_FAILED;
    std::string code;
    std::string message;
    bool retryable = false;  // only if nothing was emitted yet
};

}  // namespace cowork::llm_common
