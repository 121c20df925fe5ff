// kernel/agent/elicitation_answer.hpp — a person's typed answer to a tool's
// form (MCP elicitation) as the MCP result it stands for.
//
// In an agent task the person answers with an ordinary task message: a JSON
// object with the form's fields, the word "decline" or "cancel", or — for a
// one-field form — just the value.
#pragma once

#include "core/result.hpp"

namespace cowork::kernel::agent {

// {"action":"accept","content":{…}} / {"action":"decline"} / {"action":"cancel"};
// INVALID_PARAMS when the answer fits none of these (the message says what would).
Result<Json> elicitation_answer(const std::string& text, const Json& requested_schema);

// One line a person can act on: the message, the fields and how to answer.
std::string elicitation_question(const std::string& message, const Json& requested_schema);

}  // namespace cowork::kernel::agent
