// openai_reply.hpp — an assistant answer being assembled from Chat
// Completions output (streamed chunks or one response object), and its
// translation into the cowork.llm/1 result.
#pragma once

#include <turn.hpp>

#include <cowork/sdk/llm/tool_names.hpp>

#include <nlohmann/json.hpp>

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

// The result's "message"; a tool call whose arguments are not a JSON object
// keeps "arguments": {} and carries "argumentsError" (llm_common::tool_call_part).
Json result_message(const Reply& reply, const sdk::llm::ToolNameMap& names);

using llm_common::tool_id;

}  // namespace cowork::openai
