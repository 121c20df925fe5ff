#include "openai_stream.hpp"

#include <cowork/sdk/error.hpp>
#include <cowork/sdk/llm/pricing.hpp>

namespace cowork::openai {
namespace {

constexpr size_t kRawCap = 1u << 20;

using llm_common::quote;

}  // namespace

StreamAssembler::StreamAssembler(const sdk::llm::ToolNameMap& names, Emit emit)
    : names_(names), emit_(std::move(emit)), parser_([this](const sdk::llm::SseEvent& e) { on_event(e); }) {}

void StreamAssembler::reset() {
    parser_ = sdk::llm::SseParser([this](const sdk::llm::SseEvent& e) { on_event(e); });
    reply_ = Reply{};
    slot_of_index_.clear();
    started_.clear();
    done_ = saw_events_ = emitted_ = false;
    raw_.clear();
}

bool StreamAssembler::feed(std::string_view bytes) {
    if (!saw_events_ && raw_.size() < kRawCap) raw_.append(bytes);
    parser_.feed(bytes);
    return emitted_;
}

void StreamAssembler::emit(const Json& event) {
    emitted_ = true;
    if (emit_) emit_(event);
}

void StreamAssembler::on_event(const sdk::llm::SseEvent& event) {
    saw_events_ = true;
    raw_.clear();
    if (done_) return;  // nothing counts after [DONE]
    if (event.data == "[DONE]") {
        done_ = true;
        return;
    }
    const Json chunk = Json::parse(event.data, nullptr, false);
    if (chunk.is_discarded() || !chunk.is_object())
        throw sdk::Error(COWORK_E_FAILED, "malformed", "the provider streamed a chunk that is not a JSON object: " + quote(event.data));
    if (chunk.contains("error")) {
        const Json& e = chunk["error"];
        const std::string message = e.is_object() ? e.value("message", e.dump()) : (e.is_string() ? e.get<std::string>() : e.dump());
        throw sdk::Error(COWORK_E_FAILED, "unavailable", "the provider reported an error mid-stream: " + message);
    }
    on_chunk(chunk);
}

void StreamAssembler::on_chunk(const Json& chunk) {
    if (reply_.model.empty() && chunk.contains("model") && chunk["model"].is_string())
        reply_.model = chunk["model"].get<std::string>();
    // With stream_options.include_usage the last chunk has empty choices and
    // the usage; the others carry "usage": null.
    if (chunk.contains("usage") && chunk["usage"].is_object()) {
        reply_.usage = canonical_usage(chunk["usage"]);
        if (emit_) emit_({{"type", "usage"}, {"usage", reply_.usage}});
    }
    const auto choices = chunk.find("choices");
    if (choices == chunk.end() || !choices->is_array() || choices->empty()) return;
    const Json& choice = (*choices)[0];
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
        reply_.finish_reason = choice["finish_reason"].get<std::string>();
    const auto delta = choice.find("delta");
    if (delta == choice.end() || !delta->is_object()) return;
    for (const char* field : {"content", "refusal"}) {
        auto it = delta->find(field);
        if (it == delta->end() || !it->is_string() || it->get_ref<const std::string&>().empty()) continue;
        reply_.text += it->get<std::string>();
        if (std::string_view(field) == "refusal") reply_.refusal = true;
        emit({{"type", "text_delta"}, {"text", *it}});
    }
    if (auto calls = delta->find("tool_calls"); calls != delta->end() && calls->is_array())
        for (const auto& fragment : *calls) on_tool_fragment(fragment);
}

void StreamAssembler::on_tool_fragment(const Json& fragment) {
    // Slot: by index; servers that omit it send each call whole (a new id)
    // or continue the last one.
    size_t slot;
    const std::string id = fragment.value("id", "");
    if (fragment.contains("index") && fragment["index"].is_number_integer()) {
        const int64_t index = fragment["index"].get<int64_t>();
        auto it = slot_of_index_.find(index);
        if (it == slot_of_index_.end()) it = slot_of_index_.emplace(index, reply_.tool_calls.size()).first;
        slot = it->second;
    } else if (!id.empty() || reply_.tool_calls.empty()) {
        slot = reply_.tool_calls.size();
    } else {
        slot = reply_.tool_calls.size() - 1;
    }
    if (slot == reply_.tool_calls.size()) {
        reply_.tool_calls.push_back({});
        started_.push_back(false);
    }
    ToolCallParts& call = reply_.tool_calls[slot];
    if (!id.empty() && call.id.empty()) call.id = id;
    const Json fn = fragment.value("function", Json::object());
    // The name comes whole in one fragment; servers that repeat it in later
    // fragments must not make it "readread".
    if (fn.contains("name") && fn["name"].is_string() && !started_[slot] && !fn["name"].get_ref<const std::string&>().empty())
        call.name = fn["name"].get<std::string>();
    std::string args;
    if (fn.contains("arguments")) args = fn["arguments"].is_string() ? fn["arguments"].get<std::string>() : fn["arguments"].dump();
    call.arguments += args;
    if (!started_[slot]) {
        start_if_ready(slot);  // flushes the arguments gathered so far
    } else if (!args.empty()) {
        emit({{"type", "tool_call_delta"}, {"index", slot}, {"argumentsDelta", args}});
    }
}

void StreamAssembler::start_if_ready(size_t slot) {
    ToolCallParts& call = reply_.tool_calls[slot];
    if (call.name.empty()) return;
    if (call.id.empty()) call.id = "call_" + std::to_string(slot);
    started_[slot] = true;
    emit({{"type", "tool_call_start"}, {"index", slot}, {"id", call.id}, {"name", tool_id(names_, call.name)}});
    if (!call.arguments.empty())
        emit({{"type", "tool_call_delta"}, {"index", slot}, {"argumentsDelta", call.arguments}});
}

}  // namespace cowork::openai
