// plugins/llm/anthropic/request.hpp — a canonical cowork.llm/1 request
// (docs/llm-interface.md) turned into an Anthropic Messages API body.
#pragma once

#include <cowork/sdk/llm/tool_names.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>

namespace cowork::llm_anthropic {

using Json = nlohmann::json;

struct WireRequest {
    Json body;
    // Tool ids ↔ the names Anthropic saw; the stream maps tool_use back.
    sdk::llm::ToolNameMap names;
};

// `default_max_tokens` fills the required max_tokens when the request has
// none. Throws sdk::Error(bad_request) on a request it cannot translate.
WireRequest build_request(const Json& canonical, int64_t default_max_tokens, bool stream);

}  // namespace cowork::llm_anthropic
