// plugins/llm/gemini/gemini_plugin.cpp — llm.gemini: cowork.llm/1 over the
// Gemini API. Translation lives in request/schema/response.cpp; this file
// wires settings, retries, cancellation and the thought-signature memory.
#include "models.hpp"
#include "request.hpp"
#include "response.hpp"
#include "settings.hpp"
#include "signature_cache.hpp"

#include <provider_call.hpp>

#include <cowork/sdk.hpp>
#include <cowork/sdk/llm/cancel.hpp>
#include <cowork/sdk/llm/retry.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <random>

namespace cowork::llm_gemini {
namespace {

using Clock = std::chrono::steady_clock;

struct Outcome {
    std::optional<Turn> turn;
    sdk::Error failure{COWORK_E_FAILED, "unavailable", ""};
    bool retryable = false;
    int attempts = 0;
};

// "gemini-2.5-flash" or "models/gemini-2.5-flash" → the path segment.
std::string model_path(const std::string& model) {
    return model.rfind("models/", 0) == 0 || model.rfind("tunedModels/", 0) == 0 ? model : "models/" + model;
}

}  // namespace

class GeminiPlugin final : public sdk::Plugin, public sdk::LlmProvider {
public:
    using Plugin::Plugin;

    Json list_models(const Json&, sdk::Events&) override {
        Json models = Json::array();
        for (const auto& m : model_table(load_settings(host()).models)) models.push_back(m.to_json());
        return {{"models", models}};
    }

    Json complete(const Json& request, sdk::Events& events) override {
        const auto started = Clock::now();
        const Settings settings = load_settings(host());
        if (settings.api_key.empty())
            throw sdk::Error(COWORK_E_FAILED, "auth",
                             "no Gemini API key: set it with `cowork secrets set " + std::string(kSecretKey) +
                                 "` (the api_key setting of llm.gemini) or export GEMINI_API_KEY");
        const auto models = model_table(settings.models);
        const std::string model = request.value("model", "");
        const bool stream = request.value("stream", false);
        const WireRequest wire = build_request(request, [this](const std::string& id) { return signatures_.get(id); });

        llm_common::ProviderRequest http;
        http.request_id = request.value("requestId", "");
        if (http.request_id.empty()) http.request_id = "gemini-" + std::to_string(++counter_);
        http.url = settings.base_url + "/" + settings.api_version + "/" + model_path(model) +
                   (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
        http.headers = {{"x-goog-api-key", settings.api_key}};
        http.body = wire.body;
        http.stream = stream;
        http.timeout_ms = settings.timeout_ms;

        sdk::llm::RetryPolicy policy;
        policy.max_retries = settings.max_retries;
        auto round = rounds_.begin(http.request_id);
        std::minstd_rand rng(std::random_device{}());
        int attempts = 0;
        for (;;) {
            Outcome o = attempt(http, wire, stream, policy, settings, events);
            attempts += o.attempts;
            if (o.turn) return result(*o.turn, models, model, started, attempts);
            if (!o.retryable || attempts > policy.max_retries || round->token().cancelled()) throw o.failure;
            const auto delay = sdk::llm::backoff_delay(policy, attempts, std::nullopt, rng);
            events.emit({{"type", "retry"}, {"attempt", attempts + 1}, {"delayMs", delay.count()}, {"reason", o.failure.what()}});
            if (!round->token().sleep_for(delay))
                throw sdk::Error(COWORK_E_CANCELLED, "cancelled", "cancelled while waiting to retry");
        }
    }

    Json cancel(const Json& request, sdk::Events&) override {
        const std::string id = request.value("requestId", "");
        const bool waiting = rounds_.cancel(id);  // wakes a stream-error backoff
        const bool running = llm_common::ProviderCall::cancel(host(), cancels_, id);
        return {{"cancelled", waiting || running}};
    }

private:
    Outcome attempt(const llm_common::ProviderRequest& http, const WireRequest& wire, bool stream,
                    const sdk::llm::RetryPolicy& policy, const Settings& settings, sdk::Events& events) {
        sdk::Events silent(nullptr);  // a non-streamed call emits no deltas
        sdk::Events& sink_events = stream ? events : silent;
        auto assembler = std::make_unique<ResponseAssembler>(wire.names, sink_events, http.request_id);
        llm_common::ProviderCall call(host(), cancels_, policy);
        llm_common::ProviderResponse response;
        try {
            response = call.run(
                http, events,
                [&](std::string_view chunk) {
                    assembler->feed_sse(chunk);
                    return assembler->emitted();
                },
                // A retried attempt starts from a clean parser: nothing of
                // the failed attempt's partial stream may leak into the turn.
                [&](int attempt) {
                    if (attempt > 1) assembler = std::make_unique<ResponseAssembler>(wire.names, sink_events, http.request_id);
                });
        } catch (const sdk::Error& e) {
            if (e.code() == "auth")
                throw sdk::Error(e.status(), "auth", std::string(e.what()) + " — check " + settings.key_source);
            throw;
        }
        Outcome o;
        o.attempts = response.attempts;
        if (!stream) {
            const Json whole = Json::parse(response.body, nullptr, false);
            if (!whole.is_object())
                throw sdk::Error(COWORK_E_FAILED, "malformed", "Gemini's response is not JSON: " + response.body.substr(0, 200));
            assembler->add(whole);
        }
        if (const auto& f = assembler->failure(); f && f->retryable && !assembler->emitted()) {
            o.failure = sdk::Error(f->status, f->code, f->message);
            o.retryable = true;
            return o;
        }
        o.turn = assembler->finish();
        for (const auto& [id, sig] : assembler->signatures()) signatures_.put(id, sig);
        return o;
    }

    static Json result(const Turn& turn, const std::vector<sdk::llm::ModelInfo>& models, const std::string& requested,
                       Clock::time_point started, int attempts) {
        const std::string model = turn.model.empty() ? requested : turn.model;
        auto info = find_model(models, model);
        if (!info) info = find_model(models, requested);
        const double cost = info ? sdk::llm::cost_usd(turn.usage, info->pricing) : 0.0;
        const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
        return {{"message", {{"role", "assistant"}, {"content", turn.content}}},
                {"stopReason", turn.stop_reason},
                {"usage", turn.usage},
                {"model", model},
                {"costUsd", cost},
                {"latencyMs", latency},
                {"attempts", attempts}};
    }

    sdk::llm::CancelRegistry cancels_;  // ProviderCall's: one HTTP call and its retries
    sdk::llm::CancelRegistry rounds_;   // ours: the whole complete(), incl. stream-error retries
    SignatureCache signatures_;
    std::atomic<uint64_t> counter_{0};
};

}  // namespace cowork::llm_gemini

COWORK_PLUGIN(cowork::llm_gemini::GeminiPlugin, "llm.gemini", "0.1.0");
