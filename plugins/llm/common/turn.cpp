#include "turn.hpp"

namespace cowork::llm_common {

std::string quote(std::string_view text, size_t cap) {
    if (text.size() <= cap) return std::string(text);
    size_t end = cap;
    // Never split a multi-byte character: back up over continuation bytes.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return std::string(text.substr(0, end)) + "…";
}

std::string text_of_parts(const Json& content) {
    if (content.is_string()) return content.get<std::string>();
    std::string out;
    if (content.is_array())
        for (const auto& p : content)
            if (p.value("type", "") == "text") out += p.value("text", "");
    return out;
}

Json function_tools(const Json& request, sdk::llm::ToolNameMap& names) {
    Json tools = Json::array();
    for (const auto& t : request.value("tools", Json::array())) {
        Json fn{{"name", names.add(t.value("name", ""))},
                {"parameters", t.value("inputSchema", Json{{"type", "object"}, {"properties", Json::object()}})}};
        if (t.contains("description")) fn["description"] = t["description"];
        tools.push_back({{"type", "function"}, {"function", fn}});
    }
    return tools;
}

Json zero_usage() { return {{"inputTokens", 0}, {"outputTokens", 0}, {"cacheReadTokens", 0}, {"cacheWriteTokens", 0}}; }

std::string tool_id(const sdk::llm::ToolNameMap& names, const std::string& provider_name) {
    return names.id(provider_name).value_or(provider_name);
}

ToolArguments parse_tool_arguments(const Json& raw) {
    if (raw.is_null()) return {};
    if (raw.is_object()) return {raw, ""};
    if (!raw.is_string()) return {Json::object(), "the arguments are not a JSON object: " + quote(raw.dump())};
    const std::string& text = raw.get_ref<const std::string&>();
    // An empty string is what models send for a tool without parameters.
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return {};
    Json parsed = Json::parse(text, nullptr, false);
    if (parsed.is_object()) return {std::move(parsed), ""};
    return {Json::object(), std::string(parsed.is_discarded() ? "the arguments are not valid JSON: "
                                                               : "the arguments are not a JSON object: ") +
                                quote(text)};
}

Json tool_call_part(const std::string& id, const std::string& name, const Json& raw_arguments) {
    ToolArguments args = parse_tool_arguments(raw_arguments);
    Json part{{"type", "tool_call"}, {"id", id}, {"name", name}, {"arguments", std::move(args.value)}};
    if (!args.error.empty()) part["argumentsError"] = args.error;
    return part;
}

Json completion_result(const Turn& turn, double cost_usd, std::chrono::steady_clock::time_point started, int attempts) {
    const auto latency =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    return {{"message", {{"role", "assistant"}, {"content", turn.content}}},
            {"stopReason", turn.stop_reason},
            {"usage", turn.usage.is_object() ? turn.usage : zero_usage()},
            {"model", turn.model},
            {"costUsd", cost_usd},
            {"latencyMs", latency},
            {"attempts", attempts}};
}

}  // namespace cowork::llm_common
