// plugins/llm/gemini/gemini_plugin.cpp — llm.gemini: cowork.llm/1 over the
// Gemini API. Translation lives in request/schema/response.cpp; keys,
// settings, retries and cancellation are the shared ones of
// plugins/llm/common; this file adds the thought-signature memory.
#include "models.hpp"
#include "request.hpp"
#include "response.hpp"
#include "signature_cache.hpp"

#include <provider_plugin.hpp>
#include <provider_settings.hpp>

#include <memory>

namespace cowork::llm_gemini {
namespace {

const llm_common::EndpointSpec& endpoint() {
    static const llm_common::EndpointSpec spec{"llm.gemini",
                                               "Gemini",
                                               {"GEMINI_API_KEY", "GOOGLE_API_KEY"},
                                               {"GOOGLE_GEMINI_BASE_URL"},
                                               "https://generativelanguage.googleapis.com"};
    return spec;
}

// "gemini-2.5-flash" or "models/gemini-2.5-flash" → the path segment.
std::string model_path(const std::string& model) {
    return model.rfind("models/", 0) == 0 || model.rfind("tunedModels/", 0) == 0 ? model : "models/" + model;
}

}  // namespace

class GeminiPlugin final : public llm_common::ProviderPlugin {
public:
    using ProviderPlugin::ProviderPlugin;

    Json list_models(const Json&, sdk::Events&) override {
        return model_table(llm_common::read_common_settings(llm_common::read_config(host())).models).list_json();
    }

    Json complete(const Json& request, sdk::Events& events) override {
        llm_common::HostedCall c = begin_hosted(request, endpoint(), "gemini");
        const WireRequest wire = build_request(request, [this](const std::string& id) { return signatures_.get(id); });
        std::string api_version = llm_common::string_setting(c.settings.config, "api_version");
        if (api_version.empty()) api_version = "v1beta";
        c.http.url = c.settings.base_url + "/" + api_version + "/" + model_path(c.model) +
                     (c.http.stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
        c.http.headers = {{"x-goog-api-key", c.settings.key.value}};
        c.http.body = wire.body;
        return finish_hosted(c, model_table(c.settings.common.models), events, [&] { return round(c, wire, events); });
    }

private:
    llm_common::Round round(const llm_common::HostedCall& c, const WireRequest& wire, sdk::Events& events) {
        sdk::Events silent(nullptr);  // a non-streamed call emits no deltas
        sdk::Events& sink_events = c.http.stream ? events : silent;
        std::unique_ptr<ResponseAssembler> assembler;
        const auto response = call_parsed(c, events, assembler, [&] {
            return std::make_unique<ResponseAssembler>(wire.names, sink_events, c.http.request_id);
        });
        if (!c.http.stream) {
            const Json whole = Json::parse(response.body, nullptr, false);
            if (!whole.is_object())
                throw sdk::Error(COWORK_E_FAILED, "malformed", "Gemini's response is not JSON: " + llm_common::quote(response.body));
            assembler->add(whole);
        }
        llm_common::Round r = llm_common::settle(*assembler, response.attempts);
        // Remembered only for a turn the caller gets: the next request sends them back.
        if (r.turn)
            for (const auto& [id, sig] : assembler->signatures()) signatures_.put(id, sig);
        return r;
    }

    SignatureCache signatures_;
};

}  // namespace cowork::llm_gemini

COWORK_PLUGIN(cowork::llm_gemini::GeminiPlugin, "llm.gemini", "0.1.0");
