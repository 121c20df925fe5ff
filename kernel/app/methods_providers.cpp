// API methods over LLM provider plugins: which are running with which
// models, and a live check of a configuration (`cowork providers test`).
#include "app/kernel_impl.hpp"

#include <cowork/sdk/sink.hpp>

namespace cowork::kernel::app {
namespace {

struct Provider {
    std::string id;
    const cowork_llm_v1* table = nullptr;
};

std::vector<Provider> running_providers(Kernel::Impl& k) {
    std::vector<Provider> out;
    for (const auto& [id, iface] : k.plugins->find_interfaces(COWORK_IFACE_LLM)) {
        auto* t = static_cast<const cowork_llm_v1*>(iface);
        if (t->struct_size >= sizeof(cowork_llm_v1)) out.push_back({id, t});
    }
    return out;
}

Result<Json> call(cowork_json_fn fn, void* self, const Json& in) {
    sdk::Collector c;
    const std::string text = in.dump();
    const cowork_status st = fn(self, text.data(), text.size(), c.sink());
    const Json out = c.json();
    if (st != COWORK_OK)
        return make_error(out.is_object() ? out.value("code", "failed") : "failed",
                          out.is_object() ? out.value("message", "provider call failed") : "provider call failed");
    return out;
}

Json models_of(const Provider& p) {
    auto models = call(p.table->list_models, p.table->self, Json::object());
    return models ? models->value("models", Json::array()) : Json::array();
}

// One tiny real completion: proves the key, the URL and the model work.
Json test_provider(const Provider& p, const std::string& model_hint) {
    Json models = models_of(p);
    std::string model = model_hint;
    if (model.empty() && !models.empty()) model = models.front().value("id", "");
    const auto started = std::chrono::steady_clock::now();
    auto r = call(p.table->complete, p.table->self,
                  {{"requestId", "provider-test-" + p.id},
                   {"model", model},
                   {"messages", {{{"role", "user"}, {"content", {{{"type", "text"}, {"text", "Reply with the word OK."}}}}}}},
                   {"maxTokens", 16},
                   {"stream", false}});
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    Json out{{"id", p.id}, {"model", model}, {"latencyMs", ms}, {"ok", r.ok()}};
    if (!r) {
        out["error"] = r.error().to_json();
        return out;
    }
    std::string text;
    for (const auto& part : r->value("message", Json::object()).value("content", Json::array()))
        if (part.value("type", "") == "text") text += part.value("text", "");
    out["reply"] = text.substr(0, 200);
    out["usage"] = r->value("usage", Json::object());
    out["costUsd"] = r->value("costUsd", 0.0);
    if (r->contains("model")) out["model"] = (*r)["model"];
    return out;
}

std::string how_to_configure() {
    return "no LLM provider is running. Configure one: OPENAI_API_KEY (+ OPENAI_BASE_URL for compatible servers), "
           "ANTHROPIC_API_KEY, GEMINI_API_KEY, or OLLAMA_HOST for a local Ollama; or `cowork secrets set "
           "plugin.<provider id>.api_key` — see docs/providers.md";
}

}  // namespace

void register_provider_methods(Kernel::Impl& k) {
    using namespace api;
    (void)k.api.add({"provider.list", kScopeRead, false, "running LLM providers and their models"},
                    [&k](const Caller&, const Json&) -> Result<Json> {
                        Json list = Json::array();
                        for (const auto& p : running_providers(k)) list.push_back({{"id", p.id}, {"models", models_of(p)}});
                        return list;
                    });
    (void)k.api.add({"provider.test", kScopeAdmin, false, "send one tiny completion through each provider (or one)"},
                    [&k](const Caller&, const Json& params) -> Result<Json> {
                        const std::string only = params.value("id", "");
                        Json results = Json::array();
                        for (const auto& p : running_providers(k))
                            if (only.empty() || p.id == only) results.push_back(test_provider(p, params.value("model", "")));
                        if (results.empty())
                            return make_error(kMethodFailed, only.empty() ? how_to_configure()
                                                                          : "provider " + only + " is not running (see `cowork plugins list`)");
                        return results;
                    });
}

}  // namespace cowork::kernel::app
