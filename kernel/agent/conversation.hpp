// kernel/agent/conversation.hpp — the cowork.llm/1 message list of one task.
#pragma once

#include "core/result.hpp"

#include <string>

namespace cowork::kernel::agent {

class Conversation {
public:
    void add_user(const std::string& text);
    // An assistant message as the provider returned it ({role, content}).
    void add_assistant(Json message);
    // Consecutive results share one "tool" message, in the order added.
    void add_tool_result(const std::string& tool_call_id, const std::string& content, bool is_error);

    // Replaces everything but the first user message with a summary:
    // [user: first prompt, assistant: summary, user: "Continue …"].
    void compact(const std::string& summary);

    const Json& messages() const { return messages_; }
    size_t size() const { return messages_.size(); }
    bool empty() const { return messages_.empty(); }
    // Tool calls of the last assistant message that have no result yet.
    Json unanswered_tool_calls() const;
    // ~4 bytes per token: a cheap, provider-independent estimate.
    int64_t estimated_tokens() const;

private:
    Json messages_ = Json::array();
};

std::string text_of_message(const Json& message);

}  // namespace cowork::kernel::agent
