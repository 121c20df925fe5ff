// llm.openai-compatible — cowork.llm/1 over the Chat Completions API
// (OpenAI, Azure OpenAI, OpenRouter, Groq, DeepSeek, Mistral, vLLM,
// LM Studio, llama.cpp server, …). Translation lives in openai_request /
// openai_stream / openai_reply; this file wires config, keys, the shared
// ProviderCall (retries, cancel) and the result.
#include "openai_pricing.hpp"
#include "openai_reply.hpp"
#include "openai_request.hpp"
#include "openai_settings.hpp"
#include "openai_stream.hpp"
#include "provider_call.hpp"

#include <cowork/sdk.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>

namespace cowork::openai {
namespace {

using llm_common::ProviderCall;
using llm_common::ProviderRequest;
using llm_common::ProviderResponse;

std::string host_of(const std::string& url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    return url.substr(start, url.find_first_of(":/?", start) - start);
}

// OpenAI renamed max_tokens to max_completion_tokens (its reasoning models
// accept only the new name); most compatible servers know only the old one.
std::string max_tokens_field(const Json& config, const Endpoint& e) {
    const Json table = e.profile.empty() ? config : config.value("profiles", Json::object()).value(e.profile, Json::object());
    if (table.contains("max_tokens_field") && table["max_tokens_field"].is_string())
        return table["max_tokens_field"].get<std::string>();
    return e.azure || host_of(e.base_url) == "api.openai.com" ? "max_completion_tokens" : "max_tokens";
}

Json zero_usage() { return {{"inputTokens", 0}, {"outputTokens", 0}, {"cacheReadTokens", 0}, {"cacheWriteTokens", 0}}; }

}  // namespace

class OpenAiCompatible final : public sdk::Plugin, public sdk::LlmProvider {
public:
    using Plugin::Plugin;

    Json list_models(const Json&, sdk::Events&) override {
        const Json config = host().config();
        ModelTable table = builtin_models();
        apply_overrides(table, config.value("models", Json::object()));
        Json models = Json::array();
        for (const auto& [id, info] : table) models.push_back(info.to_json());
        // A profile's own models are listed under the name that selects it.
        const Json profiles = config.value("profiles", Json::object());
        for (const auto& [name, profile] : profiles.items()) {
            ModelTable own;
            if (profile.is_object()) apply_overrides(own, profile.value("models", Json::object()));
            for (auto [id, info] : own) {
                info.id = name + ":" + id;
                models.push_back(info.to_json());
            }
        }
        return {{"models", models}};
    }

    Json complete(const Json& request, sdk::Events& events) override {
        const auto started = std::chrono::steady_clock::now();
        const std::string model = request.value("model", "");
        if (model.empty()) throw sdk::invalid("complete: \"model\" is missing");
        const Json config = host().config();
        const Route route = resolve_route(config, model, sources());

        sdk::llm::ToolNameMap names;
        const Json body = build_chat_request(
            request, {route.model, route.endpoint.stream_usage, max_tokens_field(config, route.endpoint)}, names);

        const bool listening = request.value("stream", false) && events.listening();
        StreamAssembler assembler(names, listening ? StreamAssembler::Emit([&](const Json& e) { events.emit(e); })
                                                   : StreamAssembler::Emit());
        ProviderRequest call_request;
        call_request.request_id = request.value("requestId", "openai-" + std::to_string(++counter_));
        call_request.url = chat_url(route.endpoint);
        call_request.headers = request_headers(route.endpoint);
        call_request.body = body;
        call_request.timeout_ms = config.value("timeout_s", 600) * 1000;

        ProviderResponse response;
        try {
            ProviderCall call(host(), cancels_, retry_policy(config));
            response = call.run(
                call_request, events,
                // Content counts as "seen" only when someone listens; otherwise
                // a broken stream is safe to retry from scratch.
                [&](std::string_view chunk) { return assembler.feed(chunk) && listening; },
                [&](int) { assembler.reset(); });
        } catch (const sdk::Error& e) {
            if (e.code() != "auth") throw;
            throw sdk::Error(e.status(), "auth",
                             std::string(e.what()) + " — API key for " + route.endpoint.base_url + ": " + route.endpoint.key_source);
        }
        const Reply reply = finished_reply(assembler);

        const Json usage = reply.usage.is_object() ? reply.usage : zero_usage();
        return {{"message", result_message(reply, names)},
                {"stopReason", stop_reason(reply)},
                {"usage", usage},
                {"model", reply.model.empty() ? route.model : reply.model},
                {"costUsd", cost(config, route, usage)},
                {"latencyMs", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()},
                {"attempts", response.attempts}};
    }

    Json cancel(const Json& request, sdk::Events&) override {
        return {{"cancelled", ProviderCall::cancel(host(), cancels_, request.value("requestId", ""))}};
    }

private:
    Sources sources() const {
        Sources s;
        s.secret = [this](const std::string& key) -> std::optional<std::string> {
            try {
                return host().secret(key);
            } catch (const sdk::Error&) {
                return std::nullopt;  // not stored, denied, or no secret store: fall back
            }
        };
        s.env = [](const std::string& name) -> std::optional<std::string> {
            const char* v = std::getenv(name.c_str());
            return v ? std::optional<std::string>(v) : std::nullopt;
        };
        return s;
    }

    static sdk::llm::RetryPolicy retry_policy(const Json& config) {
        sdk::llm::RetryPolicy p;
        p.max_retries = config.value("max_retries", 3);
        return p;
    }

    // A stream must end with [DONE] or a finish_reason; a server that
    // ignored "stream" answered with one chat.completion object instead.
    static Reply finished_reply(const StreamAssembler& assembler) {
        if (assembler.finished()) return assembler.reply();
        if (!assembler.saw_events()) {
            const Json whole = Json::parse(assembler.raw(), nullptr, false);
            if (whole.is_object() && whole.contains("choices")) return reply_from_completion(whole);
            throw sdk::Error(COWORK_E_FAILED, "malformed",
                             "the provider's answer is neither an event stream nor a chat completion: " +
                                 assembler.raw().substr(0, 200));
        }
        throw sdk::Error(COWORK_E_FAILED, "unavailable",
                         "the provider's stream ended before the answer was complete (no finish_reason, no [DONE])");
    }

    static double cost(const Json& config, const Route& route, const Json& usage) {
        ModelTable table = builtin_models();
        apply_overrides(table, config.value("models", Json::object()));
        apply_overrides(table, route.endpoint.models);
        const auto info = sdk::llm::find_model(table, route.model);
        return info ? sdk::llm::cost_usd(usage, info->pricing) : 0.0;
    }

    sdk::llm::CancelRegistry cancels_;
    std::atomic<uint64_t> counter_{0};
};

}  // namespace cowork::openai

COWORK_PLUGIN(cowork::openai::OpenAiCompatible, "llm.openai-compatible", "0.1.0");
