#include "openai_reply.hpp"

#include <algorithm>

namespace cowork::openai {

Json canonical_usage(const Json& u) {
    auto n = [&](const Json& obj, const char* k) -> int64_t {
        if (!obj.is_object()) return 0;
        auto it = obj.find(k);
        return it != obj.end() && it->is_number() ? it->get<int64_t>() : 0;
    };
    const int64_t prompt = n(u, "prompt_tokens");
    const int64_t cached = n(u.value("prompt_tokens_details", Json::object()), "cached_tokens");
    return {{"inputTokens", std::max<int64_t>(0, prompt - cached)},
            {"outputTokens", n(u, "completion_tokens")},
            {"cacheReadTokens", cached},
            {"cacheWriteTokens", 0}};
}

std::string stop_reason(const Reply& reply) {
    const std::string& f = reply.finish_reason;
    if (f == "tool_calls" || f == "function_call") return "tool_use";
    if (f == "length") return "max_tokens";
    if (f == "content_filter" || reply.refusal) return "refusal";
    // Some servers say "stop" even when the turn is tool calls.
    if (!reply.tool_calls.empty()) return "tool_use";
    return "end_turn";
}

Reply reply_from_completion(const Json& completion) {
    Reply r;
    r.model = completion.value("model", "");
    if (completion.contains("usage") && completion["usage"].is_object()) r.usage = canonical_usage(completion["usage"]);
    const Json choices = completion.value("choices", Json::array());
    if (!choices.is_array() || choices.empty()) return r;
    const Json& choice = choices[0];
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
        r.finish_reason = choice["finish_reason"].get<std::string>();
    const Json message = choice.value("message", Json::object());
    if (message.contains("content") && message["content"].is_string()) r.text = message["content"].get<std::string>();
    if (message.contains("refusal") && message["refusal"].is_string()) {
        r.text += message["refusal"].get<std::string>();
        r.refusal = true;
    }
    for (const auto& c : message.value("tool_calls", Json::array())) {
        const Json fn = c.value("function", Json::object());
        const Json args = fn.contains("arguments") ? fn["arguments"] : Json("");
        r.tool_calls.push_back({c.value("id", ""), fn.value("name", ""), args.is_string() ? args.get<std::string>() : args.dump()});
    }
    return r;
}

Json result_message(const Reply& reply, const sdk::llm::ToolNameMap& names) {
    Json content = Json::array();
    if (!reply.text.empty()) content.push_back({{"type", "text"}, {"text", reply.text}});
    for (size_t i = 0; i < reply.tool_calls.size(); ++i) {
        const auto& c = reply.tool_calls[i];
        content.push_back(llm_common::tool_call_part(c.id.empty() ? "call_" + std::to_string(i) : c.id,
                                                     tool_id(names, c.name), Json(c.arguments)));
    }
    return {{"role", "assistant"}, {"content", content}};
}

}  // namespace cowork::openai
