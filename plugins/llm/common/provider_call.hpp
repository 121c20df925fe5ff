// plugins/llm/common/provider_call.hpp — one HTTP call to an LLM provider
// with the behaviour every provider plugin needs: streaming through the
// kernel's cowork.http/1, retries on 429/5xx/connection failures with
// backoff and Retry-After (announced as `retry` events), never retrying once
// content reached the caller, cancellation by requestId, and provider errors
// turned into the codes of docs/llm-interface.md.
#pragma once

#include <cowork/sdk.hpp>
#include <cowork/sdk/llm/cancel.hpp>
#include <cowork/sdk/llm/retry.hpp>

#include <functional>
#include <mutex>
#include <random>
#include <string>

namespace cowork::llm_common {

using sdk::Json;

struct ProviderRequest {
    std::string request_id;
    std::string url;
    std::string method = "POST";
    Json headers = Json::object();  // auth headers included by the caller
    Json body;                      // sent as JSON; null: no body (GET)
    bool stream = true;
    int timeout_ms = 600'000;
    int connect_timeout_ms = 15'000;
};

struct ProviderResponse {
    int status = 0;
    Json headers = Json::object();
    std::string body;  // the whole body when not streamed (or an error body)
    int attempts = 0;
};

// Called with each body chunk of a successful (2xx) streamed response; it
// returns true once it has emitted content to the caller (after which a
// failure is not retried: the caller already saw part of an answer). It may
// throw sdk::Error (e.g. `malformed`): the rest of the body is then ignored
// and the error is rethrown from run(), never through the C boundary.
using ChunkSink = std::function<bool(std::string_view chunk)>;

// Called before every attempt (1-based), so a stream parser can drop what a
// failed earlier attempt left behind.
using AttemptFn = std::function<void(int attempt)>;

class ProviderCall {
public:
    ProviderCall(const sdk::Host& host, sdk::llm::CancelRegistry& cancels, sdk::llm::RetryPolicy policy = {})
        : host_(host), cancels_(cancels), policy_(policy), rng_(std::random_device{}()) {}

    // Throws sdk::Error with code auth | bad_request | rate_limited |
    // unavailable | timeout | cancelled | denied, the provider's message included.
    ProviderResponse run(const ProviderRequest& request, sdk::Events& events, const ChunkSink& on_chunk,
                         const AttemptFn& on_attempt = {});

    // The cancel slot of a provider: flips the call's token (waking a
    // backoff sleep) and aborts its HTTP request. True if it was running.
    static bool cancel(const sdk::Host& host, sdk::llm::CancelRegistry& cancels, const std::string& request_id);

    // The provider's own error text from an error body (OpenAI/Anthropic:
    // {"error":{"message"}}, Gemini: {"error":{"message","status"}}, Ollama:
    // {"error":"…"}).
    static std::string error_message(const std::string& body);

private:
    const sdk::Host& host_;
    sdk::llm::CancelRegistry& cancels_;
    sdk::llm::RetryPolicy policy_;
    std::minstd_rand rng_;
};

}  // namespace cowork::llm_common
