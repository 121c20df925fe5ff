#include "ollama_request.hpp"

#include <turn.hpp>

#include <cowork/sdk/error.hpp>

#include <map>

namespace cowork::ollama {
namespace {

using llm_common::text_of_parts;

// Ollama matches a tool result to its call by the tool's name (tool_name),
// so the names of earlier calls are remembered by id.
void append_message(Json& out, const Json& message, sdk::llm::ToolNameMap& names, std::map<std::string, std::string>& call_names) {
    const std::string role = message.value("role", "user");
    const Json content = message.contains("content") ? message["content"] : Json::array();
    if (content.is_string()) {
        out.push_back({{"role", role}, {"content", content}});
        return;
    }
    Json m{{"role", role == "tool" ? "user" : role}, {"content", text_of_parts(content)}};
    Json images = Json::array();
    Json calls = Json::array();
    for (const auto& p : content) {
        const std::string type = p.value("type", "");
        if (type == "image") images.push_back(p.value("data", ""));
        else if (type == "tool_call") {
            const std::string name = names.add(p.value("name", ""));
            call_names[p.value("id", "")] = name;
            const Json args = llm_common::parse_tool_arguments(p.value("arguments", Json::object())).value;
            calls.push_back({{"function", {{"name", name}, {"arguments", args}}}});
        } else if (type == "tool_result") {
            std::string text = p.contains("content") && p["content"].is_string() ? p["content"].get<std::string>() : text_of_parts(p.value("content", Json()));
            if (p.value("isError", false)) text = "[tool error] " + text;
            Json r{{"role", "tool"}, {"content", text}};
            if (auto it = call_names.find(p.value("toolCallId", "")); it != call_names.end()) r["tool_name"] = it->second;
            out.push_back(r);
        }
    }
    if (role == "tool") return;
    if (!images.empty()) m["images"] = images;
    if (!calls.empty()) m["tool_calls"] = calls;
    if (m["content"] == "" && images.empty() && calls.empty()) return;
    out.push_back(m);
}

}  // namespace

Json build_chat_request(const Json& request, const std::string& model, const Json& options, const std::string& keep_alive,
                        sdk::llm::ToolNameMap& names) {
    Json body{{"model", model}, {"stream", true}};
    const Json tools = llm_common::function_tools(request, names);
    Json messages = Json::array();
    if (request.contains("system"))
        if (const std::string s = text_of_parts(request["system"]); !s.empty()) messages.push_back({{"role", "system"}, {"content", s}});
    std::map<std::string, std::string> call_names;
    for (const auto& m : request.value("messages", Json::array())) append_message(messages, m, names, call_names);
    if (messages.empty()) throw sdk::invalid("complete: no messages to send");
    body["messages"] = messages;
    if (!tools.empty()) body["tools"] = tools;
    Json opts = options.is_object() ? options : Json::object();
    if (request.contains("maxTokens")) opts["num_predict"] = request["maxTokens"];
    if (request.contains("temperature")) opts["temperature"] = request["temperature"];
    if (request.contains("stopSequences")) opts["stop"] = request["stopSequences"];
    if (!opts.empty()) body["options"] = opts;
    if (!keep_alive.empty()) body["keep_alive"] = keep_alive;
    return body;
}

}  // namespace cowork::ollama
