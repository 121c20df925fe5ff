// openai_stream.hpp — Chat Completions SSE → an assembled Reply plus the
// cowork.llm/1 events (text_delta, tool_call_start, tool_call_delta, usage).
//
// Tool calls arrive as fragments keyed by `index`: the first carries id and
// name, later ones pieces of the arguments text. Each provider index gets a
// slot in arrival order; the slot number is the event's `index`.
#pragma once

#include "openai_reply.hpp"

#include <cowork/sdk/llm/sse.hpp>
#include <cowork/sdk/llm/tool_names.hpp>

#include <functional>
#include <map>
#include <string_view>

namespace cowork::openai {

class StreamAssembler {
public:
    using Emit = std::function<void(const Json& event)>;  // may be empty: nobody listens

    StreamAssembler(const sdk::llm::ToolNameMap& names, Emit emit);

    // Feed body bytes; true once any content event was emitted. Throws
    // sdk::Error `malformed` for a data line that is not JSON and
    // `unavailable` for an error object sent mid-stream.
    bool feed(std::string_view bytes);

    // Forget everything (a retried attempt starts over).
    void reset();

    // [DONE] seen, or at least a finish_reason (servers that omit [DONE]).
    bool finished() const { return done_ || !reply_.finish_reason.empty(); }
    bool saw_events() const { return saw_events_; }
    const Reply& reply() const { return reply_; }
    // The body as received while it did not look like SSE (capped), so a
    // server that answered with one JSON object can still be read.
    const std::string& raw() const { return raw_; }

private:
    void on_event(const sdk::llm::SseEvent& event);
    void on_chunk(const Json& chunk);
    void on_tool_fragment(const Json& fragment);
    void start_if_ready(size_t slot);
    void emit(const Json& event);

    const sdk::llm::ToolNameMap& names_;
    Emit emit_;
    sdk::llm::SseParser parser_;
    Reply reply_;
    std::map<int64_t, size_t> slot_of_index_;
    std::vector<bool> started_;
    bool done_ = false;
    bool saw_events_ = false;
    bool emitted_ = false;
    std::string raw_;
};

}  // namespace cowork::openai
