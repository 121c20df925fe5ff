// plugins/llm/gemini/response.hpp — Gemini GenerateContentResponse objects
// (one whole response, or the chunks of an alt=sse stream) assembled into
// one canonical turn, emitting text_delta / tool_call_* / usage events.
#pragma once

#include <turn.hpp>

#include <cowork/sdk/interfaces.hpp>
#include <cowork/sdk/llm/sse.hpp>
#include <cowork/sdk/llm/tool_names.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cowork::llm_gemini {

using Json = nlohmann::json;

using llm_common::StreamFailure;  // kept as a value: chunks arrive inside the kernel's HTTP callback
using llm_common::Turn;

// FINISH reasons: STOP → end_turn (tool_use when the turn calls functions),
// MAX_TOKENS → max_tokens, safety-type blocks → refusal.
std::string map_finish_reason(const std::string& gemini, bool has_tool_calls);
// usageMetadata → canonical usage. promptTokenCount includes the cached
// tokens, which are reported and priced apart; thinking tokens bill as output.
Json map_usage(const Json& usage_metadata);
// An {"error":{"code","message","status"}} body → canonical code.
std::string error_code_for_status(const std::string& status);

class ResponseAssembler {
public:
    // `id_seed` makes the ids synthesized for function calls stable for one
    // request and distinct across requests.
    ResponseAssembler(const sdk::llm::ToolNameMap& names, sdk::Events& events, std::string id_seed);
    ResponseAssembler(const ResponseAssembler&) = delete;
    ResponseAssembler& operator=(const ResponseAssembler&) = delete;

    void feed_sse(std::string_view bytes) { parser_.feed(bytes); }
    void feed(std::string_view bytes) { feed_sse(bytes); }  // the shape ProviderPlugin::call_parsed drives
    void add(const Json& response);

    bool emitted() const noexcept { return emitted_; }
    const std::optional<StreamFailure>& failure() const noexcept { return failure_; }
    // thoughtSignature per call id, to send back with the call next turn.
    const std::map<std::string, std::string>& signatures() const noexcept { return signatures_; }
    // Throws sdk::Error for a failure or a response without a finishReason
    // (a dropped stream must not look like an answer). Function-call args
    // that are not an object are no failure: that tool_call carries
    // "argumentsError" instead.
    Turn finish() const;

private:
    void on_sse(const sdk::llm::SseEvent& e);
    void part(const Json& p);
    void text(const std::string& t);
    void function_call(const Json& call, const Json& part);
    void fail(StreamFailure f);
    void emit(const Json& event);

    const sdk::llm::ToolNameMap& names_;
    sdk::Events& events_;
    std::string id_seed_;
    sdk::llm::SseParser parser_;
    Turn turn_;
    std::string finish_reason_;
    bool blocked_ = false;
    int tool_calls_ = 0;
    bool emitted_ = false;
    std::optional<StreamFailure> failure_;
    std::map<std::string, std::string> signatures_;
};

}  // namespace cowork::llm_gemini
