// plugins/llm/gemini/request.hpp — a canonical cowork.llm/1 request
// (docs/llm-interface.md) turned into a Gemini generateContent body.
#pragma once

#include <cowork/sdk/llm/tool_names.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>

namespace cowork::llm_gemini {

using Json = nlohmann::json;

// Ids this plugin makes up for Gemini's id-less function calls start with
// this; ids Gemini gave itself are echoed back, ours never are.
inline constexpr const char* kSynthesizedIdPrefix = "gemini_call_";

struct WireRequest {
    Json body;
    sdk::llm::ToolNameMap names;  // tool ids ↔ the function names Gemini saw
};

// Gemini 3 wants the thoughtSignature of each function call sent back with
// it; the plugin remembers them by call id and this looks them up.
using SignatureLookup = std::function<std::optional<std::string>(const std::string& call_id)>;

// Throws sdk::Error(bad_request) on a request it cannot translate.
WireRequest build_request(const Json& canonical, const SignatureLookup& signatures = {});

}  // namespace cowork::llm_gemini
