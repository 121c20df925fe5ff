// kernel/agent/plugin_llm_client.hpp — LlmClient over the cowork.llm/1
// tables of Running LLM plugins, with a fallback chain.
//
// Choice: the task's provider (or [agent] default_provider, or the first
// running LLM plugin) and model (or the provider's first listed model).
// When a call fails for any reason but `cancelled`, `auth` and
// `bad_request` (those would fail the same way again), the [agent]
// fallback entries ("plugin id:model") are tried in order; the llm.call
// event records who answered and how many attempts it took.
#pragma once

#include "agent/interface_finder.hpp"
#include "agent/llm_client.hpp"

#include <cowork/abi.h>

#include <map>
#include <mutex>

namespace cowork::kernel::agent {

class PluginLlmClient final : public LlmClient {
public:
    PluginLlmClient(InterfaceFinder finder, std::vector<std::string> fallback);

    std::vector<std::string> providers() const override;
    Result<ModelInfo> resolve(const ModelChoice& choice) const override;
    Result<Json> complete(const ModelChoice& choice, Json request, const EventFn& on_event) override;
    void cancel(const std::string& request_id) override;

private:
    const cowork_llm_v1* table(const std::string& provider) const;
    Result<Json> complete_once(const cowork_llm_v1* llm, const ModelInfo& target, Json request, const EventFn& on_event);

    InterfaceFinder finder_;
    std::vector<std::string> fallback_;
    std::mutex mutex_;
    std::map<std::string, const cowork_llm_v1*> in_flight_;  // requestId → table
};

}  // namespace cowork::kernel::agent
