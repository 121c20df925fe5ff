#include "agent/conversation.hpp"

#include <set>

namespace cowork::kernel::agent {

std::string text_of_message(const Json& message) {
    std::string text;
    if (!message.is_object() || !message.contains("content") || !message["content"].is_array()) return text;
    for (const auto& part : message["content"])
        if (part.is_object() && part.value("type", "") == "text") text += part.value("text", "");
    return text;
}

void Conversation::add_user(const std::string& text) {
    messages_.push_back({{"role", "user"}, {"content", Json::array({{{"type", "text"}, {"text", text}}})}});
}

void Conversation::add_assistant(Json message) {
    message["role"] = "assistant";
    if (!message.contains("content") || !message["content"].is_array()) message["content"] = Json::array();
    messages_.push_back(std::move(message));
}

void Conversation::add_tool_result(const std::string& tool_call_id, const std::string& content, bool is_error) {
    Json part{{"type", "tool_result"}, {"toolCallId", tool_call_id}, {"content", content}, {"isError", is_error}};
    if (messages_.empty() || messages_.back().value("role", "") != "tool")
        messages_.push_back({{"role", "tool"}, {"content", Json::array()}});
    messages_.back()["content"].push_back(std::move(part));
}

void Conversation::compact(const std::string& summary) {
    Json first = nullptr;
    for (const auto& m : messages_)
        if (m.value("role", "") == "user") {
            first = m;
            break;
        }
    messages_ = Json::array();
    if (!first.is_null()) messages_.push_back(std::move(first));
    messages_.push_back({{"role", "assistant"},
                         {"content", Json::array({{{"type", "text"}, {"text", "Summary of the work so far:\n" + summary}}})}});
    add_user("Continue the task from where the summary leaves off.");
}

Json Conversation::unanswered_tool_calls() const {
    Json calls = Json::array();
    std::set<std::string> answered;
    for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
        const std::string role = it->value("role", "");
        if (role == "tool") {
            for (const auto& p : (*it)["content"]) answered.insert(p.value("toolCallId", ""));
            continue;
        }
        if (role == "assistant")
            for (const auto& p : (*it)["content"])
                if (p.value("type", "") == "tool_call" && !answered.count(p.value("id", ""))) calls.push_back(p);
        break;
    }
    return calls;
}

int64_t Conversation::estimated_tokens() const { return static_cast<int64_t>(messages_.dump().size() / 4); }

}  // namespace cowork::kernel::agent
