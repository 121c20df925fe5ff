#include "agent/plugin_llm_client.hpp"

#include <cowork/sdk/sink.hpp>

namespace cowork::kernel::agent {
namespace {

Json call_json(cowork_json_fn fn, void* self, const Json& in, cowork_status& status,
               const std::function<void(std::string_view)>& on_event = {}) {
    sdk::Collector c(on_event);
    const std::string text = in.dump(-1, ' ', false, Json::error_handler_t::replace);
    status = fn(self, text.data(), text.size(), c.sink());
    return c.json();
}

bool worth_falling_back(const std::string& code) { return code != "cancelled" && code != "auth" && code != "bad_request"; }

}  // namespace

PluginLlmClient::PluginLlmClient(InterfaceFinder finder, std::vector<std::string> fallback)
    : finder_(std::move(finder)), fallback_(std::move(fallback)) {}

std::vector<std::string> PluginLlmClient::providers() const {
    std::vector<std::string> ids;
    for (const auto& [id, iface] : finder_(COWORK_IFACE_LLM))
        if (iface && static_cast<const cowork_llm_v1*>(iface)->struct_size >= sizeof(cowork_llm_v1)) ids.push_back(id);
    return ids;
}

const cowork_llm_v1* PluginLlmClient::table(const std::string& provider) const {
    for (const auto& [id, iface] : finder_(COWORK_IFACE_LLM))
        if (id == provider && iface && static_cast<const cowork_llm_v1*>(iface)->struct_size >= sizeof(cowork_llm_v1))
            return static_cast<const cowork_llm_v1*>(iface);
    return nullptr;
}

Result<ModelInfo> PluginLlmClient::resolve(const ModelChoice& choice) const {
    ModelInfo info{choice.provider, choice.model, 0};
    if (info.provider.empty()) {
        const auto all = providers();
        if (all.empty()) return make_error("NO_LLM_PROVIDER", "no LLM provider plugin is running");
        info.provider = all.front();
    }
    const auto* llm = table(info.provider);
    if (!llm) return make_error("INVALID_PARAMS", "LLM provider " + info.provider + " is not running (see `cowork plugins list`)");
    cowork_status st = COWORK_OK;
    const Json listed = call_json(llm->list_models, llm->self, Json::object(), st);
    if (st == COWORK_OK && listed.is_object() && listed.contains("models") && listed["models"].is_array()) {
        for (const auto& m : listed["models"]) {
            const std::string id = m.value("id", "");
            if (info.model.empty()) info.model = id;
            if (id == info.model) {
                info.context_window = m.value("contextWindow", int64_t{0});
                break;
            }
        }
    }
    if (info.model.empty())
        return make_error("INVALID_PARAMS", info.provider + " lists no models; name one with --model or [agent] default_model");
    return info;
}

Result<Json> PluginLlmClient::complete_once(const cowork_llm_v1* llm, const ModelInfo& target, Json request,
                                            const EventFn& on_event) {
    const std::string request_id = request.value("requestId", "");
    request["model"] = target.model;
    {
        std::lock_guard lock(mutex_);
        in_flight_[request_id] = llm;
    }
    cowork_status st = COWORK_OK;
    Json out = call_json(llm->complete, llm->self, request, st, [&](std::string_view e) {
        auto j = Json::parse(e, nullptr, false);
        if (!j.is_discarded() && on_event) on_event(j);
    });
    {
        std::lock_guard lock(mutex_);
        in_flight_.erase(request_id);
    }
    if (st != COWORK_OK) {
        const std::string code = out.is_object() ? out.value("code", sdk::status_name(st)) : sdk::status_name(st);
        const std::string msg = out.is_object() ? out.value("message", "") : "";
        return make_error(code, target.provider + " (" + target.model + "): " + (msg.empty() ? code : msg));
    }
    if (out.is_discarded() || !out.is_object() || !out.contains("message"))
        return make_error("malformed", target.provider + " returned a result without a message");
    out["provider"] = target.provider;
    if (!out.contains("model")) out["model"] = target.model;
    return out;
}

Result<Json> PluginLlmClient::complete(const ModelChoice& choice, Json request, const EventFn& on_event) {
    std::vector<ModelChoice> chain{choice};
    for (const auto& f : fallback_) {
        const auto colon = f.find(':');
        chain.push_back({f.substr(0, colon), colon == std::string::npos ? "" : f.substr(colon + 1)});
    }
    Error last = make_error("NO_LLM_PROVIDER", "no LLM provider is running");
    int attempts = 0;
    for (const auto& c : chain) {
        auto target = resolve(c);
        if (!target) {
            last = target.error();
            continue;
        }
        ++attempts;
        auto r = complete_once(table(target->provider), *target, request, on_event);
        if (r) {
            if (attempts > 1) (*r)["fallbackAttempts"] = attempts;
            return r;
        }
        last = r.error();
        if (!worth_falling_back(last.code)) break;
    }
    return last;
}

void PluginLlmClient::cancel(const std::string& request_id) {
    const cowork_llm_v1* llm = nullptr;
    {
        std::lock_guard lock(mutex_);
        if (auto it = in_flight_.find(request_id); it != in_flight_.end()) llm = it->second;
    }
    if (!llm || !llm->cancel) return;
    cowork_status st = COWORK_OK;
    (void)call_json(llm->cancel, llm->self, Json{{"requestId", request_id}}, st);
}

}  // namespace cowork::kernel::agent
