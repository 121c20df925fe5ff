#include "provider_plugin.hpp"

#include <random>

namespace cowork::llm_common {

Json ProviderPlugin::cancel(const Json& request, sdk::Events&) {
    const std::string id = request.value("requestId", "");
    const bool waiting = rounds_.cancel(id);  // wakes a stream-error backoff
    const bool running = ProviderCall::cancel(host(), cancels_, id);
    return {{"cancelled", waiting || running}};
}

std::string ProviderPlugin::required_model(const Json& request) {
    std::string model = request.value("model", "");
    if (model.empty()) throw sdk::invalid("complete: \"model\" is missing");
    return model;
}

std::string ProviderPlugin::request_id(const Json& request, const std::string& prefix) {
    std::string id = request.value("requestId", "");
    return id.empty() ? prefix + "-" + std::to_string(++counter_) : id;
}

ProviderResponse ProviderPlugin::call(const ProviderRequest& request, const sdk::llm::RetryPolicy& policy,
                                      sdk::Events& events, const ChunkSink& on_chunk, const AttemptFn& on_attempt,
                                      const std::string& key_hint) {
    try {
        ProviderCall provider_call(host(), cancels_, policy);
        return provider_call.run(request, events, on_chunk, on_attempt);
    } catch (const sdk::Error& e) {
        if (e.code() != "auth" || key_hint.empty()) throw;
        throw sdk::Error(e.status(), "auth", std::string(e.what()) + " — check " + key_hint);
    }
}

Turn ProviderPlugin::run_rounds(const std::string& request_id, const sdk::llm::RetryPolicy& policy,
                                sdk::Events& events, const std::function<Round()>& round, int& attempts) {
    auto registration = rounds_.begin(request_id);
    std::minstd_rand rng(std::random_device{}());
    for (;;) {
        Round r = round();
        attempts += r.attempts;
        if (r.turn) return *r.turn;
        const StreamFailure f = r.failure.value_or(StreamFailure{COWORK_E_FAILED, "unavailable", "no answer", false});
        const sdk::Error failure(f.status, f.code, f.message);
        if (!f.retryable || attempts > policy.max_retries || registration->token().cancelled()) throw failure;
        const auto delay = sdk::llm::backoff_delay(policy, attempts, std::nullopt, rng);
        events.emit({{"type", "retry"}, {"attempt", attempts + 1}, {"delayMs", delay.count()}, {"reason", f.message}});
        if (!registration->token().sleep_for(delay))
            throw sdk::Error(COWORK_E_CANCELLED, "cancelled", "cancelled while waiting to retry");
    }
}

HostedCall ProviderPlugin::begin_hosted(const Json& request, const EndpointSpec& spec, const std::string& id_prefix) {
    HostedCall c;
    c.settings = load_endpoint_settings(host(), spec);
    c.settings.require_key(spec);
    c.model = request.value("model", "");
    c.http.request_id = request_id(request, id_prefix);
    c.http.stream = request.value("stream", false);
    c.http.timeout_ms = c.settings.common.timeout_ms;
    return c;
}

Json ProviderPlugin::finish_hosted(const HostedCall& c, const PriceTable& prices, sdk::Events& events,
                                   const std::function<Round()>& round) {
    int attempts = 0;
    Turn turn = run_rounds(c.http.request_id, c.settings.common.retry_policy(), events, round, attempts);
    if (turn.model.empty()) turn.model = c.model;
    return completion_result(turn, prices.cost(turn.usage, turn.model, c.model), c.started, attempts);
}

}  // namespace cowork::llm_common
