#include "response.hpp"

#include "request.hpp"

namespace cowork::llm_gemini {
namespace {

using llm_common::quote;

int64_t count(const Json& u, const char* key) {
    auto it = u.find(key);
    return it != u.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

bool retryable_status(const std::string& s) {
    return s == "RESOURCE_EXHAUSTED" || s == "UNAVAILABLE" || s == "INTERNAL" || s == "DEADLINE_EXCEEDED";
}

// FNV-1a: a short, stable tag for a request id in synthesized call ids.
std::string tag(const std::string& s) {
    uint32_t h = 2166136261u;
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 7; i >= 0; --i) out.push_back(hex[(h >> (i * 4)) & 0xF]);
    return out;
}

}  // namespace

std::string map_finish_reason(const std::string& r, bool has_tool_calls) {
    if (r == "MAX_TOKENS") return "max_tokens";
    if (r == "SAFETY" || r == "RECITATION" || r == "BLOCKLIST" || r == "PROHIBITED_CONTENT" || r == "SPII" ||
        r == "IMAGE_SAFETY" || r == "LANGUAGE")
        return "refusal";
    return has_tool_calls ? "tool_use" : "end_turn";  // STOP, OTHER, unspecified
}

Json map_usage(const Json& u) {
    const int64_t cached = count(u, "cachedContentTokenCount");
    const int64_t prompt = count(u, "promptTokenCount") + count(u, "toolUsePromptTokenCount");
    return {{"inputTokens", std::max<int64_t>(0, prompt - cached)},
            {"outputTokens", count(u, "candidatesTokenCount") + count(u, "thoughtsTokenCount")},
            {"cacheReadTokens", cached},
            {"cacheWriteTokens", 0}};
}

std::string error_code_for_status(const std::string& s) {
    if (s == "UNAUTHENTICATED" || s == "PERMISSION_DENIED") return "auth";
    if (s == "RESOURCE_EXHAUSTED") return "rate_limited";
    if (s == "DEADLINE_EXCEEDED") return "timeout";
    if (s == "INVALID_ARGUMENT" || s == "NOT_FOUND" || s == "FAILED_PRECONDITION" || s == "OUT_OF_RANGE") return "bad_request";
    return "unavailable";
}

ResponseAssembler::ResponseAssembler(const sdk::llm::ToolNameMap& names, sdk::Events& events, std::string id_seed)
    : names_(names), events_(events), id_seed_(tag(id_seed)),
      parser_([this](const sdk::llm::SseEvent& e) { on_sse(e); }) {}

void ResponseAssembler::emit(const Json& event) {
    events_.emit(event);
    if (events_.listening()) emitted_ = true;
}

void ResponseAssembler::fail(StreamFailure f) {
    if (!failure_) failure_ = std::move(f);
}

void ResponseAssembler::on_sse(const sdk::llm::SseEvent& e) {
    if (failure_) return;
    const Json data = Json::parse(e.data, nullptr, false);
    if (!data.is_object()) {
        fail({COWORK_E_FAILED, "malformed", "Gemini sent an unparsable stream chunk: " + quote(e.data), false});
        return;
    }
    add(data);
}

void ResponseAssembler::add(const Json& r) {
    if (failure_) return;
    if (auto err = r.find("error"); err != r.end() && err->is_object()) {
        const std::string status = err->value("status", "");
        fail({COWORK_E_FAILED, error_code_for_status(status),
              "Gemini reported " + (status.empty() ? std::string("an error") : status) + ": " +
                  err->value("message", std::string("(no message)")),
              retryable_status(status)});
        return;
    }
    if (auto v = r.find("modelVersion"); v != r.end() && v->is_string()) turn_.model = *v;
    if (auto u = r.find("usageMetadata"); u != r.end() && u->is_object()) {
        turn_.usage = map_usage(*u);  // cumulative: the last one wins
        events_.emit({{"type", "usage"}, {"usage", turn_.usage}});
    }
    const Json candidates = r.value("candidates", Json::array());
    if (candidates.empty()) {
        // The prompt itself was blocked: no candidate, a blockReason instead.
        if (r.contains("promptFeedback") && r["promptFeedback"].contains("blockReason")) blocked_ = true;
        return;
    }
    const Json& c = candidates[0];
    for (const auto& p : c.value("content", Json::object()).value("parts", Json::array())) part(p);
    if (auto f = c.find("finishReason"); f != c.end() && f->is_string()) {
        finish_reason_ = *f;
        if (finish_reason_ == "MALFORMED_FUNCTION_CALL" || finish_reason_ == "UNEXPECTED_TOOL_CALL")
            fail({COWORK_E_FAILED, "malformed",
                  "Gemini could not produce a valid function call (" + finish_reason_ + "): " +
                      quote(c.value("finishMessage", std::string("(no details)"))),
                  false});
    }
}

void ResponseAssembler::part(const Json& p) {
    if (!p.is_object()) return;
    if (p.value("thought", false)) return;  // thought summaries are not the answer
    if (auto t = p.find("text"); t != p.end() && t->is_string()) text(*t);
    if (auto call = p.find("functionCall"); call != p.end() && call->is_object()) function_call(*call, p);
}

void ResponseAssembler::text(const std::string& t) {
    if (t.empty()) return;
    if (!turn_.content.empty() && turn_.content.back()["type"] == "text")
        turn_.content.back()["text"] = turn_.content.back()["text"].get<std::string>() + t;
    else
        turn_.content.push_back({{"type", "text"}, {"text", t}});
    emit({{"type", "text_delta"}, {"text", t}});
}

// Gemini streams a function call whole, never in pieces: one start and one
// delta carrying all of its arguments.
void ResponseAssembler::function_call(const Json& call, const Json& p) {
    const int index = tool_calls_++;
    const std::string name = llm_common::tool_id(names_, call.value("name", ""));
    std::string id = call.value("id", "");
    if (id.empty()) id = std::string(kSynthesizedIdPrefix) + id_seed_ + "_" + std::to_string(index);
    const Json args = call.value("args", Json::object());
    if (auto sig = p.find("thoughtSignature"); sig != p.end() && sig->is_string()) signatures_[id] = *sig;
    turn_.content.push_back(llm_common::tool_call_part(id, name, args));
    emit({{"type", "tool_call_start"}, {"index", index}, {"id", id}, {"name", name}});
    emit({{"type", "tool_call_delta"}, {"index", index}, {"argumentsDelta", args.is_string() ? args.get<std::string>() : args.dump()}});
}

Turn ResponseAssembler::finish() const {
    if (failure_) throw sdk::Error(failure_->status, failure_->code, failure_->message);
    Turn turn = turn_;
    if (blocked_ && finish_reason_.empty()) {
        turn.stop_reason = "refusal";
        return turn;
    }
    if (finish_reason_.empty())
        throw sdk::Error(COWORK_E_FAILED, "unavailable",
                         "Gemini's response ended without a finishReason: the connection was closed early");
    turn.stop_reason = map_finish_reason(finish_reason_, tool_calls_ > 0);
    return turn;
}

}  // namespace cowork::llm_gemini
