// openai_reply.hpp — an assistant answer being assembled from Chat
// Completions output (streamed chunks or one response object), and its
// translation into the cowork.llm/1 result.
#pragma once

#include <cowork/sdk/llm/tool_names.hpp>

#include <nlohmann/json.hpp>

#include <optional>

#include <string>
#include <vector>

namespace cowork::openai {

using Json = nlohmann::json;

struct ToolCallParts {
    std::string id;
    std::string name;       // the provider's spelling
    std::string arguments;  // JSON text, as the provider sent it
};

struct Reply {
    std::string text;
    std::vector<ToolCallParts> tool_calls;
    std::string finish_reason;  // the provider's; "" while unknown
    bool refusal = false;       // the model declined (delta.refusal)
    Json usage;                 // canonical usage, null until reported
    std::string model;
};

// prompt_tokens counts cached tokens too; cowork.llm/1's inputTokens does not
// (they are billed at the cache-read price), so they are split out.
Json canonical_usage(const Json& openai_usage);

// stop→end_turn, tool_calls→tool_use, length→max_tokens,
// content_filter→refusal; unknown values follow what the message holds.
std::string stop_reason(const Reply& reply);

// A non-streamed chat.completion object (some servers ignore "stream").
Reply reply_from_completion(const Json& completion);

// Arguments text → object. Not JSON (or not an object) → nullopt and `error`
// says why, quoting the text (capped at 200 bytes).
std::optional<Json> parse_arguments(const std::string& text, std::string& error);

// The result's "message" and "stopReason"; a tool call whose arguments are
// not a JSON object keeps "arguments": {} and carries "argumentsError" (the
// runtime tells the model instead of running the tool).
Json result_message(const Reply& reply, const sdk::llm::ToolNameMap& names);

// The provider name mapped back to the CoWork tool id (a name never offered
// stays as the provider spelled it: the runtime reports an unknown tool).
std::string tool_id(const sdk::llm::ToolNameMap& names, const std::string& provider_name);

}  // namespace cowork::openai
