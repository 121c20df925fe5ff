#include "stream.hpp"

namespace cowork::llm_anthropic {

StreamAssembler::StreamAssembler(const sdk::llm::ToolNameMap& names, sdk::Events& events)
    : names_(names), events_(events), parser_([this](const sdk::llm::SseEvent& e) { on_sse(e); }) {}

void StreamAssembler::emit(const Json& event) {
    events_.emit(event);
    if (events_.listening()) emitted_ = true;
}

void StreamAssembler::fail(StreamFailure f) {
    if (!failure_) failure_ = std::move(f);
}

void StreamAssembler::on_sse(const sdk::llm::SseEvent& e) {
    if (failure_ || stopped_) return;  // nothing after an error or the end counts
    const Json data = Json::parse(e.data, nullptr, false);
    if (!data.is_object()) {
        fail({COWORK_E_FAILED, "malformed", "Anthropic sent an unparsable stream event: " + llm_common::quote(e.data), false});
        return;
    }
    // The JSON "type" is authoritative; the SSE event name repeats it.
    handle(data.value("type", e.event), data);
}

void StreamAssembler::handle(const std::string& type, const Json& data) {
    if (type == "message_start") {
        started_ = true;
        const Json message = data.value("message", Json::object());
        turn_.model = message.value("model", "");
        merge_usage(turn_.usage, message.value("usage", Json::object()));
    } else if (type == "content_block_start") {
        block_start(data.value("index", 0), data.value("content_block", Json::object()));
    } else if (type == "content_block_delta") {
        block_delta(data.value("index", 0), data.value("delta", Json::object()));
    } else if (type == "content_block_stop") {
        block_stop(data.value("index", 0));
    } else if (type == "message_delta") {
        const Json delta = data.value("delta", Json::object());
        if (delta.contains("stop_reason") && delta["stop_reason"].is_string())
            turn_.stop_reason = map_stop_reason(delta["stop_reason"].get<std::string>());
        if (data.contains("usage")) {
            merge_usage(turn_.usage, data["usage"]);
            events_.emit({{"type", "usage"}, {"usage", turn_.usage}});
        }
    } else if (type == "message_stop") {
        stopped_ = true;
    } else if (type == "error") {
        const Json err = data.value("error", Json::object());
        const std::string etype = err.value("type", "api_error");
        fail({COWORK_E_FAILED, error_code_for_type(etype),
              "Anthropic reported " + etype + " mid-stream: " + err.value("message", std::string("(no message)")),
              retryable_type(etype)});
    }
    // ping and event types added later are ignored, as Anthropic asks clients to.
}

void StreamAssembler::block_start(int index, const Json& cb) {
    Block b;
    b.type = cb.value("type", "");
    if (b.type == "text") {
        b.text = cb.value("text", "");
        if (!b.text.empty()) emit({{"type", "text_delta"}, {"text", b.text}});
    } else if (b.type == "tool_use") {
        b.id = cb.value("id", "");
        b.name = tool_id(names_, cb.value("name", ""));
        b.tool_index = next_tool_++;
        if (auto in = cb.find("input"); in != cb.end() && in->is_object() && !in->empty()) b.input = *in;
        emit({{"type", "tool_call_start"}, {"index", b.tool_index}, {"id", b.id}, {"name", b.name}});
    }
    blocks_[index] = std::move(b);
}

void StreamAssembler::block_delta(int index, const Json& delta) {
    auto it = blocks_.find(index);
    if (it == blocks_.end()) return;
    Block& b = it->second;
    const std::string type = delta.value("type", "");
    if (type == "text_delta" && b.type == "text") {
        const std::string text = delta.value("text", "");
        b.text += text;
        if (!text.empty()) emit({{"type", "text_delta"}, {"text", text}});
    } else if (type == "input_json_delta" && b.type == "tool_use") {
        const std::string part = delta.value("partial_json", "");
        b.text += part;
        if (!part.empty()) emit({{"type", "tool_call_delta"}, {"index", b.tool_index}, {"argumentsDelta", part}});
    }
    // thinking_delta / signature_delta / citations: no canonical form
}

void StreamAssembler::block_stop(int index) {
    if (auto it = blocks_.find(index); it != blocks_.end()) it->second.closed = true;
}

Turn StreamAssembler::finish() const {
    if (failure_) throw sdk::Error(failure_->status, failure_->code, failure_->message);
    if (!started_ || !stopped_)
        throw sdk::Error(COWORK_E_FAILED, "unavailable",
                         std::string("Anthropic's stream ended before ") + (started_ ? "message_stop" : "message_start") +
                             ": the connection was closed early");
    Turn turn = turn_;
    for (const auto& [index, b] : blocks_) {
        if (b.type == "text" && !b.text.empty()) {
            turn.content.push_back({{"type", "text"}, {"text", b.text}});
        } else if (b.type == "tool_use") {
            if (!b.closed) throw sdk::Error(COWORK_E_FAILED, "malformed", "tool_use block " + b.id + " was never closed");
            // A tool without parameters streams no JSON at all: that is {}.
            const Json raw = b.text.empty() ? (b.input.is_null() ? Json::object() : b.input) : Json(b.text);
            turn.content.push_back(llm_common::tool_call_part(b.id, b.name, raw));
        }
    }
    return turn;
}

}  // namespace cowork::llm_anthropic
