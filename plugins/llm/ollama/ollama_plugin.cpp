// llm.ollama — cowork.llm/1 over Ollama's native /api/chat (NDJSON
// streaming, tools). Local models: cost 0.
#include "ollama_models.hpp"
#include "ollama_request.hpp"
#include "ollama_settings.hpp"
#include "ollama_stream.hpp"
#include "provider_call.hpp"

#include <cowork/sdk.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>

namespace cowork::ollama {
namespace {

using llm_common::ProviderCall;
using llm_common::ProviderRequest;

// /api/show is one request per model: enough to ask for a typical local
// install, not for a server hosting hundreds.
constexpr size_t kMaxShowLookups = 32;

}  // namespace

class Ollama final : public sdk::Plugin, public sdk::LlmProvider {
public:
    using Plugin::Plugin;

    Json list_models(const Json&, sdk::Events& events) override {
        const Json config = host().config();
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
        const std::string model = request.value("model", "");
        if (model.empty()) throw sdk::invalid("complete: \"model\" is missing");
        const Json config = host().config();

        sdk::llm::ToolNameMap names;
        const Json body = build_chat_request(request, model, config.value("options", Json::object()),
                                             config.value("keep_alive", ""), names);
        const bool listening = request.value("stream", false) && events.listening();
        NdjsonAssembler assembler(names, listening ? NdjsonAssembler::Emit([&](const Json& e) { events.emit(e); })
                                                   : NdjsonAssembler::Emit());
        ProviderRequest call_request = base_request(config, request.value("requestId", "ollama-" + std::to_string(++counter_)));
        call_request.url = base_url(config) + "/api/chat";
        call_request.body = body;

        ProviderCall call(host(), cancels_, retry_policy(config));
        const auto response = call.run(
            call_request, events, [&](std::string_view chunk) { return assembler.feed(chunk) && listening; },
            [&](int) { assembler.reset(); });
        assembler.finish();
        const Reply& reply = assembler.reply();
        if (!reply.done)
            throw sdk::Error(COWORK_E_FAILED, "unavailable", "Ollama's stream ended before its final (done) line");
        return {{"message", result_message(reply, names)},
                {"stopReason", stop_reason(reply)},
                {"usage", reply.usage},
                {"model", reply.model.empty() ? model : reply.model},
                {"costUsd", 0.0},
                {"latencyMs", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()},
                {"attempts", response.attempts}};
    }

    Json cancel(const Json& request, sdk::Events&) override {
        return {{"cancelled", ProviderCall::cancel(host(), cancels_, request.value("requestId", ""))}};
    }

private:
    static std::string base_url(const Json& config) {
        const char* env = std::getenv("OLLAMA_HOST");
        return resolve_base(config.value("base_url", ""), env ? std::optional<std::string>(env) : std::nullopt);
    }

    static sdk::llm::RetryPolicy retry_policy(const Json& config) {
        sdk::llm::RetryPolicy p;
        p.max_retries = config.value("max_retries", 3);
        return p;
    }

    ProviderRequest base_request(const Json& config, std::string request_id) const {
        ProviderRequest r;
        r.request_id = std::move(request_id);
        // Loading a large model can take minutes before the first token.
        r.timeout_ms = config.value("timeout_s", 600) * 1000;
        return r;
    }

    // A small non-streamed JSON call (tags, show).
    Json fetch(const Json& config, const std::string& method, const std::string& url, const Json& body, sdk::Events& events) {
        ProviderRequest r = base_request(config, "ollama-meta-" + std::to_string(++counter_));
        r.method = method;
        r.url = url;
        r.body = body;
        r.stream = false;
        r.timeout_ms = 30'000;
        ProviderCall call(host(), cancels_, retry_policy(config));
        const Json j = Json::parse(call.run(r, events, {}).body, nullptr, false);
        if (!j.is_object()) throw sdk::Error(COWORK_E_FAILED, "malformed", "Ollama answered " + url + " with something other than JSON");
        return j;
    }

    sdk::llm::CancelRegistry cancels_;
    std::atomic<uint64_t> counter_{0};
};

}  // namespace cowork::ollama

COWORK_PLUGIN(cowork::ollama::Ollama, "llm.ollama", "0.1.0");
