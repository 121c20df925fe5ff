#include "ollama_stream.hpp"

#include <turn.hpp>

#include <cowork/sdk/error.hpp>

namespace cowork::ollama {
namespace {

using llm_common::quote;
using llm_common::tool_id;

int64_t count(const Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

}  // namespace

NdjsonAssembler::NdjsonAssembler(const sdk::llm::ToolNameMap& names, Emit emit)
    : names_(names), emit_(std::move(emit)), lines_([this](std::string_view l) { on_line(l); }) {}

void NdjsonAssembler::reset() {
    lines_ = sdk::llm::LineSplitter([this](std::string_view l) { on_line(l); });
    reply_ = Reply{};
    emitted_ = false;
}

bool NdjsonAssembler::feed(std::string_view bytes) {
    lines_.feed(bytes);
    return emitted_;
}

void NdjsonAssembler::emit(const Json& event) {
    emitted_ = true;
    if (emit_) emit_(event);
}

void NdjsonAssembler::on_line(std::string_view line) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos || reply_.done) return;
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw sdk::Error(COWORK_E_FAILED, "malformed", "Ollama streamed a line that is not a JSON object: " + quote(line));
    if (j.contains("error")) {
        const Json& e = j["error"];
        throw sdk::Error(COWORK_E_FAILED, "unavailable", "Ollama reported an error mid-stream: " + (e.is_string() ? e.get<std::string>() : e.dump()));
    }
    if (reply_.model.empty() && j.contains("model") && j["model"].is_string()) reply_.model = j["model"].get<std::string>();
    const Json message = j.value("message", Json::object());
    if (message.contains("content") && message["content"].is_string() && !message["content"].get_ref<const std::string&>().empty()) {
        reply_.text += message["content"].get<std::string>();
        emit({{"type", "text_delta"}, {"text", message["content"]}});
    }
    if (message.contains("tool_calls") && message["tool_calls"].is_array())
        for (const auto& c : message["tool_calls"]) {
            const Json fn = c.value("function", Json::object());
            const size_t index = reply_.tool_calls.size();
            ToolCall call{c.value("id", ""), fn.value("name", ""), fn.contains("arguments") ? fn["arguments"] : Json::object()};
            // Older Ollama sends no id; the runtime needs one to pair the result.
            if (call.id.empty()) call.id = "call_" + std::to_string(index);
            reply_.tool_calls.push_back(call);
            emit({{"type", "tool_call_start"}, {"index", index}, {"id", call.id}, {"name", tool_id(names_, call.name)}});
            emit({{"type", "tool_call_delta"}, {"index", index},
                  {"argumentsDelta", call.arguments.is_string() ? call.arguments.get<std::string>() : call.arguments.dump()}});
        }
    if (j.value("done", false)) {
        reply_.done = true;
        reply_.done_reason = j.value("done_reason", "");
        reply_.usage = {{"inputTokens", count(j, "prompt_eval_count")}, {"outputTokens", count(j, "eval_count")},
                        {"cacheReadTokens", 0}, {"cacheWriteTokens", 0}};
        if (emit_) emit_({{"type", "usage"}, {"usage", reply_.usage}});
    }
}

std::string stop_reason(const Reply& reply) {
    if (!reply.tool_calls.empty()) return "tool_use";
    if (reply.done_reason == "length") return "max_tokens";
    return "end_turn";
}

Json result_message(const Reply& reply, const sdk::llm::ToolNameMap& names) {
    Json content = Json::array();
    if (!reply.text.empty()) content.push_back({{"type", "text"}, {"text", reply.text}});
    // Arguments come as an object, or as JSON text from some models.
    for (const auto& c : reply.tool_calls) content.push_back(llm_common::tool_call_part(c.id, tool_id(names, c.name), c.arguments));
    return {{"role", "assistant"}, {"content", content}};
}

}  // namespace cowork::ollama
