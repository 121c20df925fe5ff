// ollama_stream.hpp — Ollama's NDJSON /api/chat stream → events and the
// cowork.llm/1 result. Each line is one JSON object; text comes in
// message.content, tool calls come whole (arguments as an object) in
// message.tool_calls, the last line has done:true, done_reason and counts.
#pragma once

#include <cowork/sdk/llm/sse.hpp>
#include <cowork/sdk/llm/tool_names.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cowork::ollama {

using Json = nlohmann::json;

struct ToolCall {
    std::string id;
    std::string name;  // the provider's spelling
    Json arguments;    // object, or a string some models send instead
};

struct Reply {
    std::string text;
    std::vector<ToolCall> tool_calls;
    bool done = false;
    std::string done_reason;
    Json usage;  // canonical, set by the final line
    std::string model;
};

class NdjsonAssembler {
public:
    using Emit = std::function<void(const Json& event)>;  // may be empty
    NdjsonAssembler(const sdk::llm::ToolNameMap& names, Emit emit);

    // Throws sdk::Error `malformed` for a line that is not JSON and
    // `unavailable` for {"error": …} sent mid-stream. True once content was emitted.
    bool feed(std::string_view bytes);
    void finish() { lines_.finish(); }  // a last line without '\n'
    void reset();
    const Reply& reply() const { return reply_; }

private:
    void on_line(std::string_view line);
    void emit(const Json& event);

    const sdk::llm::ToolNameMap& names_;
    Emit emit_;
    sdk::llm::LineSplitter lines_;
    Reply reply_;
    bool emitted_ = false;
};

// end_turn, tool_use (tool calls present), max_tokens (done_reason "length").
std::string stop_reason(const Reply& reply);

// The result message; a tool call whose arguments are not a JSON object gets
// "arguments": {} and "argumentsError" quoting them (llm_common::tool_call_part).
Json result_message(const Reply& reply, const sdk::llm::ToolNameMap& names);

}  // namespace cowork::ollama
