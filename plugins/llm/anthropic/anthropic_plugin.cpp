// plugins/llm/anthropic/anthropic_plugin.cpp — llm.anthropic: cowork.llm/1
// over Anthropic's Messages API. Translation lives in request/stream/
// response.cpp; keys, settings, retries and cancellation are the shared
// ones of plugins/llm/common.
#include "models.hpp"
#include "request.hpp"
#include "response.hpp"
#include "stream.hpp"

#include <provider_plugin.hpp>
#include <provider_settings.hpp>

#include <algorithm>
#include <memory>

namespace cowork::llm_anthropic {
namespace {

inline constexpr const char* kApiVersion = "2023-06-01";

const llm_common::EndpointSpec& endpoint() {
    static const llm_common::EndpointSpec spec{
        "llm.anthropic", "Anthropic", {"ANTHROPIC_API_KEY"}, {"ANTHROPIC_BASE_URL"}, "https://api.anthropic.com"};
    return spec;
}

int64_t default_max_tokens(const llm_common::EndpointSettings& s, const llm_common::PriceTable& models,
                           const std::string& model) {
    if (int64_t configured = s.config.value("max_tokens", int64_t{0}); configured > 0) return configured;
    // Large enough for tool-heavy turns, small enough that a non-streamed
    // call is accepted (Anthropic refuses very long non-streaming requests).
    constexpr int64_t kCap = 16'384;
    if (auto m = models.find(model); m && m->max_output_tokens > 0) return std::min(m->max_output_tokens, kCap);
    return 8'192;
}

}  // namespace

class AnthropicPlugin final : public llm_common::ProviderPlugin {
public:
    using ProviderPlugin::ProviderPlugin;

    Json list_models(const Json&, sdk::Events&) override {
        return model_table(llm_common::read_common_settings(llm_common::read_config(host())).models).list_json();
    }

    Json complete(const Json& request, sdk::Events& events) override {
        llm_common::HostedCall c = begin_hosted(request, endpoint(), "anthropic");
        const auto models = model_table(c.settings.common.models);
        const WireRequest wire = build_request(request, default_max_tokens(c.settings, models, c.model), c.http.stream);
        c.http.url = c.settings.base_url + "/v1/messages";
        c.http.headers = {{"x-api-key", c.settings.key.value},
                          {"anthropic-version", kApiVersion},
                          {"accept", c.http.stream ? "text/event-stream" : "application/json"}};
        c.http.body = wire.body;
        return finish_hosted(c, models, events, [&] { return round(c, wire, events); });
    }

private:
    llm_common::Round round(const llm_common::HostedCall& c, const WireRequest& wire, sdk::Events& events) {
        std::unique_ptr<StreamAssembler> assembler;
        const auto response =
            call_parsed(c, events, assembler, [&] { return std::make_unique<StreamAssembler>(wire.names, events); });
        if (c.http.stream) return llm_common::settle(*assembler, response.attempts);
        llm_common::Round r;
        r.attempts = response.attempts;
        r.turn = turn_from_message(Json::parse(response.body, nullptr, false), wire.names);
        return r;
    }
};

}  // namespace cowork::llm_anthropic

COWORK_PLUGIN(cowork::llm_anthropic::AnthropicPlugin, "llm.anthropic", "0.1.0");
