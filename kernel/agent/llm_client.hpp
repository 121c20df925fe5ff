// kernel/agent/llm_client.hpp — how the loop talks to a model.
//
// Requests, results and events are the canonical cowork.llm/1 JSON
// (docs/llm-interface.md). The real client routes to LLM plugins
// (plugin_llm_client.hpp); tests script one.
#pragma once

#include "core/result.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::kernel::agent {

struct ModelChoice {
    std::string provider;  // LLM plugin id; empty: the client picks
    std::string model;     // empty: the provider's first model
};

struct ModelInfo {
    std::string provider;
    std::string model;
    int64_t context_window = 0;  // 0: unknown
};

class LlmClient {
public:
    using EventFn = std::function<void(const Json& event)>;
    virtual ~LlmClient() = default;

    // Which providers could serve a task now; empty: none configured.
    virtual std::vector<std::string> providers() const = 0;
    // Resolves the choice (defaults, first model) without calling the model.
    virtual Result<ModelInfo> resolve(const ModelChoice& choice) const = 0;
    // [worker] Blocks until the call ends. The result gains "provider" and
    // "model" (what actually answered, after fallbacks). Errors carry the
    // cowork.llm/1 code ("auth", "rate_limited", "cancelled", …).
    virtual Result<Json> complete(const ModelChoice& choice, Json request, const EventFn& on_event) = 0;
    // [any-thread] Cancels the running complete() with this requestId.
    virtual void cancel(const std::string& request_id) = 0;
};

}  // namespace cowork::kernel::agent
