// ollama_request.hpp — a cowork.llm/1 request as an Ollama /api/chat body.
#pragma once

#include <cowork/sdk/llm/tool_names.hpp>

#include <nlohmann/json.hpp>

namespace cowork::ollama {

using Json = nlohmann::json;

// `options` (from config: num_ctx, …) is merged under the request's own
// maxTokens → num_predict and temperature.
Json build_chat_request(const Json& request, const std::string& model, const Json& options, const std::string& keep_alive,
                        sdk::llm::ToolNameMap& names);

}  // namespace cowork::ollama
