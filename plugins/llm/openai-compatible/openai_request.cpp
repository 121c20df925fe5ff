#include "openai_request.hpp"

#include <turn.hpp>

#include <cowork/sdk/error.hpp>

namespace cowork::openai {
namespace {

using llm_common::text_of_parts;

Json image_part(const Json& part) {
    const std::string url = "data:" + part.value("mediaType", "image/png") + ";base64," + part.value("data", "");
    return {{"type", "image_url"}, {"image_url", {{"url", url}}}};
}

// A tool result's content is a string in cowork.llm/1; anything else is
// passed as its JSON text rather than dropped. The provider has no error
// flag, so a failed tool says so in its text.
Json tool_message(const Json& part) {
    const Json& c = part.contains("content") ? part["content"] : Json("");
    std::string text = c.is_string() ? c.get<std::string>() : (c.is_array() ? text_of_parts(c) : c.dump());
    if (part.value("isError", false)) text = "[tool error] " + text;
    return {{"role", "tool"}, {"tool_call_id", part.value("toolCallId", "")}, {"content", text}};
}

Json tool_call(const Json& part, sdk::llm::ToolNameMap& names) {
    const Json args = part.contains("arguments") ? part["arguments"] : Json::object();
    return {{"id", part.value("id", "")},
            {"type", "function"},
            {"function", {{"name", names.add(part.value("name", ""))}, {"arguments", args.is_string() ? args.get<std::string>() : args.dump()}}}};
}

// One canonical message may become several: tool results are one message each.
void append_message(Json& out, const Json& message, sdk::llm::ToolNameMap& names) {
    const std::string role = message.value("role", "user");
    const Json content = message.contains("content") ? message["content"] : Json::array();
    if (content.is_string()) {
        out.push_back({{"role", role == "tool" ? "user" : role}, {"content", content}});
        return;
    }
    Json parts = Json::array();
    Json calls = Json::array();
    bool only_text = true;
    for (const auto& p : content) {
        const std::string type = p.value("type", "");
        if (type == "text") parts.push_back({{"type", "text"}, {"text", p.value("text", "")}});
        else if (type == "image") {
            parts.push_back(image_part(p));
            only_text = false;
        } else if (type == "tool_call") calls.push_back(tool_call(p, names));
        else if (type == "tool_result") out.push_back(tool_message(p));
    }
    if (role == "tool") return;  // only tool results live there
    if (role == "assistant") {
        // Assistant content is text only; null when the turn was only tool calls.
        Json m{{"role", "assistant"}, {"content", parts.empty() ? Json(nullptr) : Json(text_of_parts(content))}};
        if (!calls.empty()) m["tool_calls"] = calls;
        out.push_back(m);
        return;
    }
    if (parts.empty()) return;
    if (only_text) out.push_back({{"role", role}, {"content", text_of_parts(content)}});
    else out.push_back({{"role", role}, {"content", parts}});
}

Json tool_choice(const Json& choice, sdk::llm::ToolNameMap& names) {
    if (choice.is_string()) return choice;  // "auto" | "none" | "required"
    return {{"type", "function"}, {"function", {{"name", names.add(choice.value("name", ""))}}}};
}

}  // namespace

Json build_chat_request(const Json& request, const RequestOptions& options, sdk::llm::ToolNameMap& names) {
    Json body{{"model", options.model}, {"stream", true}};
    if (options.stream_usage) body["stream_options"] = {{"include_usage", true}};

    Json messages = Json::array();
    if (request.contains("system")) {
        const std::string system = text_of_parts(request["system"]);
        if (!system.empty()) messages.push_back({{"role", "system"}, {"content", system}});
    }
    // Offered tools first, so their provider names do not depend on the history.
    const Json tools = llm_common::function_tools(request, names);
    for (const auto& m : request.value("messages", Json::array())) append_message(messages, m, names);
    if (messages.empty()) throw sdk::invalid("complete: no messages to send");
    body["messages"] = messages;
    if (!tools.empty()) body["tools"] = tools;
    if (request.contains("toolChoice") && !tools.empty()) body["tool_choice"] = tool_choice(request["toolChoice"], names);

    if (request.contains("maxTokens")) body[options.max_tokens_field] = request["maxTokens"];
    if (request.contains("temperature")) body["temperature"] = request["temperature"];
    if (request.contains("topP")) body["top_p"] = request["topP"];
    if (request.contains("stopSequences")) body["stop"] = request["stopSequences"];
    return body;
}

}  // namespace cowork::openai
