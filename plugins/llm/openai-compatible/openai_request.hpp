// openai_request.hpp — a cowork.llm/1 request as a Chat Completions body.
#pragma once

#include <cowork/sdk/llm/tool_names.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::openai {

using Json = nlohmann::json;

struct RequestOptions {
    std::string model;                        // as sent (profile prefix removed)
    bool stream_usage = true;                 // stream_options.include_usage
    std::string max_tokens_field = "max_tokens";  // or "max_completion_tokens" (OpenAI's current name)
};

// Every tool name in the request (offered tools and calls in the history)
// goes through `names`, so calls in the answer can be mapped back.
Json build_chat_request(const Json& request, const RequestOptions& options, sdk::llm::ToolNameMap& names);

}  // namespace cowork::openai
