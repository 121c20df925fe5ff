// plugins/llm/common/provider_plugin.hpp — the plugin class scaffolding every
// provider shares: request ids, ProviderCall wiring with one cancel registry,
// cancel(), auth errors that say where the key came from, and whole-turn
// retries for failures a provider reports inside a 200 stream.
#pragma once

#include "price_table.hpp"
#include "provider_call.hpp"
#include "provider_settings.hpp"
#include "turn.hpp"

#include <cowork/sdk.hpp>
#include <cowork/sdk/llm/cancel.hpp>
#include <cowork/sdk/llm/retry.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace cowork::llm_common {

// What one ProviderCall produced: a turn, or a failure reported inside an
// HTTP 200 stream that may be retried from scratch.
struct Round {
    std::optional<Turn> turn;
    std::optional<StreamFailure> failure;
    int attempts = 0;  // HTTP attempts spent (ProviderCall's own retries included)
};

// A call to a hosted endpoint (one key, one base URL), prepared the same way
// by every such provider; the provider adds url, headers and body.
struct HostedCall {
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    EndpointSettings settings;  // read fresh: config edits apply without a restart
    ProviderRequest http;       // request id, stream flag and timeout set
    std::string model;          // as requested
};

// What a stream parser left after a call: a retryable failure while nothing
// reached the caller, else the turn (finish() throws other failures).
template <class Parser>
Round settle(const Parser& parser, int attempts) {
    Round r;
    r.attempts = attempts;
    if (const auto& f = parser.failure(); f && f->retryable && !parser.emitted()) r.failure = *f;
    else r.turn = parser.finish();
    return r;
}

class ProviderPlugin : public sdk::Plugin, public sdk::LlmProvider {
public:
    using Plugin::Plugin;

    // {"requestId"}: wakes a backoff between rounds and aborts the HTTP call.
    Json cancel(const Json& request, sdk::Events& events) override;

protected:
    // The request's "model"; a request without one is invalid.
    static std::string required_model(const Json& request);

    // The caller's requestId, else "<prefix>-<n>" (unique in this process).
    std::string request_id(const Json& request, const std::string& prefix);

    // One ProviderCall under this plugin's cancel registry. An `auth` failure
    // gets " — check <key_hint>" appended (where the key came from; never the key).
    ProviderResponse call(const ProviderRequest& request, const sdk::llm::RetryPolicy& policy, sdk::Events& events,
                          const ChunkSink& on_chunk, const AttemptFn& on_attempt, const std::string& key_hint);

    // Runs `round` until it yields a turn. A retryable stream failure is
    // retried with backoff (announced as `retry`) while attempts remain;
    // anything else is thrown. `attempts` totals every HTTP attempt.
    Turn run_rounds(const std::string& request_id, const sdk::llm::RetryPolicy& policy, sdk::Events& events,
                    const std::function<Round()>& round, int& attempts);

    // Settings read, the key required (else `auth` naming every place looked at).
    HostedCall begin_hosted(const Json& request, const EndpointSpec& spec, const std::string& id_prefix);

    // run_rounds, then the complete() result priced from `prices` (the
    // requested model stands in when the provider names none).
    Json finish_hosted(const HostedCall& c, const PriceTable& prices, sdk::Events& events,
                       const std::function<Round()>& round);

    // One ProviderCall feeding `parser`, rebuilt by `make` for every retried
    // attempt: nothing of a failed attempt's partial stream may leak into
    // the turn. Parser: feed(bytes), emitted().
    template <class Parser, class Make>
    ProviderResponse call_parsed(const HostedCall& c, sdk::Events& events, std::unique_ptr<Parser>& parser, Make make) {
        parser = make();
        return call(
            c.http, c.settings.common.retry_policy(), events,
            [&](std::string_view chunk) {
                parser->feed(chunk);
                return parser->emitted();
            },
            [&](int attempt) {
                if (attempt > 1) parser = make();
            },
            c.settings.key.source);
    }

private:
    sdk::llm::CancelRegistry cancels_;  // ProviderCall's: one HTTP call and its retries
    sdk::llm::CancelRegistry rounds_;   // run_rounds': the whole complete(), incl. stream-error retries
    std::atomic<uint64_t> counter_{0};
};

}  // namespace cowork::llm_common
