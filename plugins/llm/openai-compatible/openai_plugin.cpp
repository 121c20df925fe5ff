// llm.openai-compatible — cowork.llm/1 over the Chat Completions API
// (OpenAI, Azure OpenAI, OpenRouter, Groq, DeepSeek, Mistral, vLLM,
// LM Studio, llama.cpp server, …). Translation lives in openai_request /
// openai_stream / openai_reply; routing and keys in openai_settings; the
// plugin scaffolding (ProviderCall, cancel, result) is plugins/llm/common's.
#include "openai_pricing.hpp"
#include "openai_reply.hpp"
#include "openai_request.hpp"
#include "openai_settings.hpp"
#include "openai_stream.hpp"

#include <provider_plugin.hpp>

#include <chrono>

namespace cowork::openai {
namespace {

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

// A stream must end with [DONE] or a finish_reason; a server that ignored
// "stream" answered with one chat.completion object instead.
Reply finished_reply(const StreamAssembler& assembler) {
    if (assembler.finished()) return assembler.reply();
    if (!assembler.saw_events()) {
        const Json whole = Json::parse(assembler.raw(), nullptr, false);
        if (whole.is_object() && whole.contains("choices")) return reply_from_completion(whole);
        throw sdk::Error(COWORK_E_FAILED, "malformed",
                         "the provider's answer is neither an event stream nor a chat completion: " +
                             llm_common::quote(assembler.raw()));
    }
    throw sdk::Error(COWORK_E_FAILED, "unavailable",
                     "the provider's stream ended before the answer was complete (no finish_reason, no [DONE])");
}

}  // namespace

class OpenAiCompatible final : public llm_common::ProviderPlugin {
public:
    using ProviderPlugin::ProviderPlugin;

    Json list_models(const Json&, sdk::Events&) override {
        const Json config = llm_common::read_config(host());
        Json list = builtin_models().merge(config.value("models", Json::object())).list_json();
        // A profile's own models are listed under the name that selects it.
        const Json profiles = config.value("profiles", Json::object());  // items() must not outlive it
        for (const auto& [name, profile] : profiles.items()) {
            llm_common::PriceTable own;
            if (profile.is_object()) own.merge(profile.value("models", Json::object()));
            for (auto info : own.models()) {
                info.id = name + ":" + info.id;
                list["models"].push_back(info.to_json());
            }
        }
        return list;
    }

    Json complete(const Json& request, sdk::Events& events) override {
        const auto started = std::chrono::steady_clock::now();
        const std::string model = required_model(request);
        const Json config = llm_common::read_config(host());
        const auto common = llm_common::read_common_settings(config);
        const Route route = resolve_route(config, model, Sources::of(host()));

        sdk::llm::ToolNameMap names;
        const Json body = build_chat_request(
            request, {route.model, route.endpoint.stream_usage, max_tokens_field(config, route.endpoint)}, names);

        const bool listening = request.value("stream", false) && events.listening();
        StreamAssembler assembler(names, listening ? StreamAssembler::Emit([&](const Json& e) { events.emit(e); })
                                                   : StreamAssembler::Emit());
        llm_common::ProviderRequest http;
        http.request_id = request_id(request, "openai");
        http.url = chat_url(route.endpoint);
        http.headers = request_headers(route.endpoint);
        http.body = body;
        http.timeout_ms = common.timeout_ms;

        const auto response = call(
            http, common.retry_policy(), events,
            // Content counts as "seen" only when someone listens; otherwise
            // a broken stream is safe to retry from scratch.
            [&](std::string_view chunk) { return assembler.feed(chunk) && listening; },
            [&](int) { assembler.reset(); },
            "the API key for " + route.endpoint.base_url + ": " + route.endpoint.key_source);
        const Reply reply = finished_reply(assembler);

        llm_common::Turn turn;
        turn.content = result_message(reply, names)["content"];
        turn.stop_reason = stop_reason(reply);
        if (reply.usage.is_object()) turn.usage = reply.usage;
        turn.model = reply.model.empty() ? route.model : reply.model;
        return llm_common::completion_result(turn, cost(common, route, turn.usage), started, response.attempts);
    }

private:
    static double cost(const llm_common::CommonSettings& common, const Route& route, const Json& usage) {
        return builtin_models().merge(common.models).merge(route.endpoint.models).cost(usage, route.model);
    }
};

}  // namespace cowork::openai

COWORK_PLUGIN(cowork::openai::OpenAiCompatible, "llm.openai-compatible", "0.1.0");
