#include "response.hpp"

namespace cowork::llm_anthropic {

std::string map_stop_reason(const std::string& r) {
    if (r == "tool_use" || r == "max_tokens" || r == "stop_sequence" || r == "refusal") return r;
    if (r == "model_context_window_exceeded") return "max_tokens";
    return "end_turn";
}

void merge_usage(Json& canonical, const Json& u) {
    if (!u.is_object()) return;
    auto take = [&](const char* from, const char* to) {
        if (auto it = u.find(from); it != u.end() && it->is_number_integer()) canonical[to] = it->get<int64_t>();
    };
    // Anthropic's input_tokens already excludes cached tokens, which are
    // reported (and priced) separately: no subtraction needed.
    take("input_tokens", "inputTokens");
    take("output_tokens", "outputTokens");
    take("cache_read_input_tokens", "cacheReadTokens");
    take("cache_creation_input_tokens", "cacheWriteTokens");
}

std::string error_code_for_type(const std::string& t) {
    if (t == "authentication_error" || t == "permission_error") return "auth";
    if (t == "rate_limit_error") return "rate_limited";
    if (t == "invalid_request_error" || t == "not_found_error" || t == "request_too_large") return "bad_request";
    if (t == "timeout_error") return "timeout";
    return "unavailable";  // overloaded_error, api_error, anything new
}

bool retryable_type(const std::string& t) {
    return t == "overloaded_error" || t == "api_error" || t == "rate_limit_error";
}

Turn turn_from_message(const Json& message, const sdk::llm::ToolNameMap& names) {
    if (!message.is_object() || !message.contains("content") || !message["content"].is_array())
        throw sdk::Error(COWORK_E_FAILED, "malformed", "Anthropic's response has no content array");
    Turn turn;
    turn.model = message.value("model", "");
    turn.stop_reason = map_stop_reason(message.value("stop_reason", ""));
    merge_usage(turn.usage, message.value("usage", Json::object()));
    for (const auto& b : message["content"]) {
        const std::string type = b.value("type", "");
        if (type == "text") {
            turn.content.push_back({{"type", "text"}, {"text", b.value("text", "")}});
        } else if (type == "tool_use") {
            turn.content.push_back(llm_common::tool_call_part(b.value("id", ""), tool_id(names, b.value("name", "")),
                                                              b.value("input", Json::object())));
        }
        // thinking / redacted_thinking / server tool blocks have no canonical form
    }
    return turn;
}

}  // namespace cowork::llm_anthropic
