#include "price_table.hpp"

#include <algorithm>
#include <map>

namespace cowork::llm_common {
namespace {

using sdk::llm::ModelInfo;

// `snake` (cowork.toml) first, then `camel` (the list_models spelling).
template <class T>
void read(const nlohmann::json& o, const char* snake, const char* camel, T& into) {
    for (const char* k : {snake, camel})
        if (auto it = o.find(k); it != o.end() && it->is_number()) {
            into = it->get<T>();
            return;
        }
}

void read_pricing(const nlohmann::json& o, sdk::llm::Pricing& p) {
    read(o, "input_per_mtok", "inputPerMTok", p.input_per_mtok);
    read(o, "output_per_mtok", "outputPerMTok", p.output_per_mtok);
    read(o, "cache_read_per_mtok", "cacheReadPerMTok", p.cache_read_per_mtok);
    read(o, "cache_write_per_mtok", "cacheWritePerMTok", p.cache_write_per_mtok);
}

}  // namespace

ModelInfo apply_override(ModelInfo base, const nlohmann::json& o) {
    if (!o.is_object()) return base;
    read(o, "context_window", "contextWindow", base.context_window);
    read(o, "max_output_tokens", "maxOutputTokens", base.max_output_tokens);
    read_pricing(o, base.pricing);
    if (auto p = o.find("pricing"); p != o.end() && p->is_object()) read_pricing(*p, base.pricing);
    return base;
}

PriceTable& PriceTable::merge(const nlohmann::json& overrides) {
    if (!overrides.is_object()) return *this;
    for (const auto& [id, o] : overrides.items()) {
        if (!o.is_object()) continue;
        auto it = std::find_if(models_.begin(), models_.end(), [&](const ModelInfo& m) { return m.id == id; });
        if (it != models_.end()) {
            *it = apply_override(*it, o);
        } else {
            ModelInfo fresh;
            fresh.id = id;
            models_.push_back(apply_override(fresh, o));
        }
    }
    return *this;
}

std::optional<ModelInfo> PriceTable::find(const std::string& model) const {
    std::map<std::string, ModelInfo> by_prefix;
    for (const auto& m : models_) by_prefix[m.id] = m;
    return sdk::llm::find_model(by_prefix, model);
}

double PriceTable::cost(const nlohmann::json& usage, const std::string& model, const std::string& fallback_model) const {
    auto info = find(model);
    if (!info && !fallback_model.empty()) info = find(fallback_model);
    return info ? sdk::llm::cost_usd(usage, info->pricing) : 0.0;
}

nlohmann::json PriceTable::list_json() const {
    nlohmann::json models = nlohmann::json::array();
    for (const auto& m : models_) models.push_back(m.to_json());
    return {{"models", models}};
}

}  // namespace cowork::llm_common
