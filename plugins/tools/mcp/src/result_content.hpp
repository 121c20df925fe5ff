// result_content.hpp — an MCP CallToolResult (or resources/read,
// prompts/get result) as a CoWork tool result. The kernel and the models
// read text, so every non-text part also gets a one-line text description;
// binary payloads are kept only while the whole result stays under the cap,
// and anything cut says so and how to raise the limit.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::mcp {

using Json = nlohmann::json;

// {"content":[…],"isError":bool,"data":structuredContent?}
Json tool_result_from_mcp(const Json& call_result, size_t max_bytes);

// resources/read → the same shape: text contents as text, blobs described.
Json resource_read_result(const Json& read_result, size_t max_bytes);

// prompts/get → the messages as text ("[user] …").
Json prompt_result(const Json& get_result, size_t max_bytes);

}  // namespace cowork::mcp
