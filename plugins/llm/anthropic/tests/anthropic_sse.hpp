// Canned Anthropic SSE streams in the documented wire format, shared by the
// translation tests and the wire tests.
#pragma once

#include <string>
#include <vector>

namespace cowork::llm_anthropic::testing {

inline std::string sse(const std::string& event, const std::string& data) {
    return "event: " + event + "\ndata: " + data + "\n\n";
}

inline std::string message_start(const std::string& usage =
                                      R"({"input_tokens":1000,"cache_creation_input_tokens":2000,"cache_read_input_tokens":3000,"output_tokens":1})") {
    return sse("message_start",
               R"({"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],"model":"claude-sonnet-5-5-20260901","stop_reason":null,"stop_sequence":null,"usage":)" +
                   usage + "}}");
}

inline std::string text_block(int index, const std::vector<std::string>& pieces) {
    std::string s = sse("content_block_start", R"({"type":"content_block_start","index":)" + std::to_string(index) +
                                                   R"(,"content_block":{"type":"text","text":""}})");
    s += sse("ping", R"({"type": "ping"})");
    for (const auto& p : pieces)
        s += sse("content_block_delta", R"({"type":"content_block_delta","index":)" + std::to_string(index) +
                                            R"(,"delta":{"type":"text_delta","text":")" + p + "\"}}");
    return s + sse("content_block_stop", R"({"type":"content_block_stop","index":)" + std::to_string(index) + "}");
}

// `json_pieces` are raw partial_json strings, already JSON-escaped.
inline std::string tool_block(int index, const std::string& id, const std::string& name,
                              const std::vector<std::string>& json_pieces) {
    std::string s = sse("content_block_start", R"({"type":"content_block_start","index":)" + std::to_string(index) +
                                                   R"(,"content_block":{"type":"tool_use","id":")" + id +
                                                   R"(","name":")" + name + R"(","input":{}}})");
    for (const auto& p : json_pieces)
        s += sse("content_block_delta", R"({"type":"content_block_delta","index":)" + std::to_string(index) +
                                            R"(,"delta":{"type":"input_json_delta","partial_json":")" + p + "\"}}");
    return s + sse("content_block_stop", R"({"type":"content_block_stop","index":)" + std::to_string(index) + "}");
}

inline std::string message_end(const std::string& stop_reason, int output_tokens = 500) {
    return sse("message_delta", R"({"type":"message_delta","delta":{"stop_reason":")" + stop_reason +
                                    R"(","stop_sequence":null},"usage":{"output_tokens":)" + std::to_string(output_tokens) + "}}") +
           sse("message_stop", R"({"type":"message_stop"})");
}

inline std::string error_event(const std::string& type, const std::string& message) {
    return sse("error", R"({"type":"error","error":{"type":")" + type + R"(","message":")" + message + "\"}}");
}

// Text, then two parallel tool calls whose arguments arrive in pieces.
inline std::string parallel_tools_stream() {
    return message_start() + text_block(0, {"Reading ", "both."}) +
           tool_block(1, "toolu_A", "tool_files_read_file", {"", "{\\\"pa", "th\\\": \\\"a.md\\\"}"}) +
           tool_block(2, "toolu_B", "tool_files_read_file", {"{\\\"path\\\":", " \\\"b.md\\\"}"}) + message_end("tool_use");
}

}  // namespace cowork::llm_anthropic::testing
