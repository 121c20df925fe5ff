// llm.ollama — cowork.llm/1 over Ollama's native /api/chat (NDJSON
// streaming, tools). Local models: cost 0, no key. The plugin scaffolding
// (ProviderCall, cancel, result) is plugins/llm/common's.
#include "ollama_models.hpp"
#include "ollama_request.hpp"
#include "ollama_settings.hpp"
#include "ollama_stream.hpp"

#include <provider_plugin.hpp>
#include <provider_settings.hpp>

#include <chrono>

namespace cowork::ollama {
namespace {

// /api/show is one request per model: enough to ask for a typical local
// install, not for a server hosting hundreds.
constexpr size_t kMaxShowLookups = 32;

}  // namespace

class Ollama final : public llm_common::ProviderPlugin {
public:
    using ProviderPlugin::ProviderPlugin;

    Json list_models(const Json&, sdk::Events& events) override {
        const Json config = llm_common::read_config(host());
        const std::string base = base_url(config);
        const Json tags = fetch(config, "GET", base + "/api/tags", nullptr, events);
        const Json overrides = config.value("models", Json::object());
        const auto names = model_names(tags);
        Json models = Json::array();
        for (size_t i = 0; i < names.size(); ++i) {
            int64_t context = 0;
            if (config.value("show_context", true) && i < kMaxShowLookups) {
                try {
                    context = context_length(fetch(config, "POST", base + "/api/show", Json{{"model", names[i]}}, events));
                } catch (const sdk::Error&) {
                    // Best effort: the list is still useful without it.
                }
            }
            models.push_back(model_entry(names[i], context, overrides));
        }
        return {{"models", models}};
    }

    Json complete(const Json& request, sdk::Events& events) override {
        const auto started = std::chrono::steady_clock::now();
        const std::string model = required_model(request);
        const Json config = llm_common::read_config(host());
        const auto common = llm_common::read_common_settings(config);

        sdk::llm::ToolNameMap names;
        const Json body = build_chat_request(request, model, config.value("options", Json::object()),
                                             config.value("keep_alive", ""), names);
        const bool listening = request.value("stream", false) && events.listening();
        NdjsonAssembler assembler(names, listening ? NdjsonAssembler::Emit([&](const Json& e) { events.emit(e); })
                                                   : NdjsonAssembler::Emit());
        llm_common::ProviderRequest http;
        http.request_id = request_id(request, "ollama");
        http.url = base_url(config) + "/api/chat";
        http.body = body;
        // Loading a large model can take minutes before the first token.
        http.timeout_ms = common.timeout_ms;

        const auto response = call(
            http, common.retry_policy(), events, [&](std::string_view chunk) { return assembler.feed(chunk) && listening; },
            [&](int) { assembler.reset(); }, "");
        assembler.finish();
        const Reply& reply = assembler.reply();
        if (!reply.done)
            throw sdk::Error(COWORK_E_FAILED, "unavailable", "Ollama's stream ended before its final (done) line");
        llm_common::Turn turn;
        turn.content = result_message(reply, names)["content"];
        turn.stop_reason = stop_reason(reply);
        turn.usage = reply.usage;
        turn.model = reply.model.empty() ? model : reply.model;
        return llm_common::completion_result(turn, 0.0, started, response.attempts);
    }

private:
    std::string base_url(const Json& config) const {
        return resolve_base(llm_common::string_setting(config, "base_url"),
                            llm_common::Lookups::of(host()).env("OLLAMA_HOST"));
    }

    // A small non-streamed JSON call (tags, show).
    Json fetch(const Json& config, const std::string& method, const std::string& url, const Json& body, sdk::Events& events) {
        llm_common::ProviderRequest r;
        r.request_id = request_id(Json::object(), "ollama-meta");
        r.method = method;
        r.url = url;
        r.body = body;
        r.stream = false;
        r.timeout_ms = 30'000;
        const Json j = Json::parse(call(r, llm_common::read_common_settings(config).retry_policy(), events, {}, {}, "").body,
                                   nullptr, false);
        if (!j.is_object()) throw sdk::Error(COWORK_E_FAILED, "malformed", "Ollama answered " + url + " with something other than JSON");
        return j;
    }
};

}  // namespace cowork::ollama

COWORK_PLUGIN(cowork::ollama::Ollama, "llm.ollama", "0.1.0");
