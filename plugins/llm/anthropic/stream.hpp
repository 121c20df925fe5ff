// plugins/llm/anthropic/stream.hpp — assembles an Anthropic SSE stream
// (message_start … message_stop) into one Turn, emitting the canonical
// text_delta / tool_call_start / tool_call_delta / usage events as it goes.
#pragma once

#include "response.hpp"

#include <cowork/sdk/interfaces.hpp>
#include <cowork/sdk/llm/sse.hpp>
#include <cowork/sdk/llm/tool_names.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cowork::llm_anthropic {

class StreamAssembler {
public:
    StreamAssembler(const sdk::llm::ToolNameMap& names, sdk::Events& events);
    StreamAssembler(const StreamAssembler&) = delete;
    StreamAssembler& operator=(const StreamAssembler&) = delete;

    void feed(std::string_view bytes) { parser_.feed(bytes); }
    // True once any content event reached the caller.
    bool emitted() const noexcept { return emitted_; }
    const std::optional<StreamFailure>& failure() const noexcept { return failure_; }
    // The whole turn; throws sdk::Error for a failure or a stream that ended
    // before message_stop (a dropped connection must not look like an answer).
    // Tool input that is not a JSON object is no failure: that tool_call
    // carries "argumentsError" instead.
    Turn finish() const;

private:
    struct Block {
        std::string type;  // text | tool_use | (ignored kinds)
        std::string text;  // text, or the tool input's JSON text
        std::string id, name;
        int tool_index = -1;
        Json input;  // a complete input given at block start, if any (used when no JSON was streamed)
        bool closed = false;
    };

    void on_sse(const sdk::llm::SseEvent& e);
    void handle(const std::string& type, const Json& data);
    void block_start(int index, const Json& block);
    void block_delta(int index, const Json& delta);
    void block_stop(int index);
    void fail(StreamFailure f);
    void emit(const Json& event);

    const sdk::llm::ToolNameMap& names_;
    sdk::Events& events_;
    sdk::llm::SseParser parser_;
    std::map<int, Block> blocks_;  // by Anthropic's block index: output order
    Turn turn_;
    int next_tool_ = 0;
    bool started_ = false;
    bool stopped_ = false;
    bool emitted_ = false;
    std::optional<StreamFailure> failure_;
};

}  // namespace cowork::llm_anthropic
