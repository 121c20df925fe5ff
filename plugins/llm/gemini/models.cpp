#include "models.hpp"

#include <algorithm>
#include <map>

namespace cowork::llm_gemini {
namespace {

using sdk::llm::ModelInfo;
using sdk::llm::Pricing;

// US$ per million tokens for text prompts up to 200k tokens (the Pro
// models cost more above that; not modelled), from ai.google.dev/pricing as
// quoted by third-party price trackers on 2026-11-25. Gemini bills thinking
// tokens as output; context-cache storage per hour is not included, and
// Gemini has no separate cache-write price. Ids are ones the API serves; a
// dated or -latest variant finds its family by prefix. Override in config.
const std::vector<ModelInfo>& builtin() {
    static const std::vector<ModelInfo> table = {
        {"gemini-2.5-flash", 1'048'576, 65'536, {0.30, 2.50, 0.03, 0}},
        {"gemini-2.5-pro", 1'048'576, 65'536, {1.25, 10.00, 0.125, 0}},
        {"gemini-2.5-flash-lite", 1'048'576, 65'536, {0.10, 0.40, 0.01, 0}},
        {"gemini-3-flash-preview", 1'048'576, 65'536, {0.50, 3.00, 0.05, 0}},
        {"gemini-3.1-pro-preview", 1'048'576, 65'536, {2.00, 12.00, 0.20, 0}},
    };
    return table;
}

// `snake` (cowork.toml style, as llm.openai-compatible uses) or `camel`
// (the list_models spelling), whichever is present; else `fallback`.
template <class T>
T field(const nlohmann::json& o, const char* snake, const char* camel, T fallback) {
    for (const char* k : {snake, camel})
        if (auto it = o.find(k); it != o.end() && it->is_number()) return it->get<T>();
    return fallback;
}

// Accepts the flat form ({"input_per_mtok": …}) and the list_models form
// ({"pricing": {"inputPerMTok": …}}); unset fields keep the base values.
ModelInfo apply(ModelInfo base, const nlohmann::json& o) {
    base.context_window = field(o, "context_window", "contextWindow", base.context_window);
    base.max_output_tokens = field(o, "max_output_tokens", "maxOutputTokens", base.max_output_tokens);
    const nlohmann::json& p = o.contains("pricing") && o["pricing"].is_object() ? o["pricing"] : o;
    Pricing& q = base.pricing;
    q.input_per_mtok = field(p, "input_per_mtok", "inputPerMTok", q.input_per_mtok);
    q.output_per_mtok = field(p, "output_per_mtok", "outputPerMTok", q.output_per_mtok);
    q.cache_read_per_mtok = field(p, "cache_read_per_mtok", "cacheReadPerMTok", q.cache_read_per_mtok);
    q.cache_write_per_mtok = field(p, "cache_write_per_mtok", "cacheWritePerMTok", q.cache_write_per_mtok);
    return base;
}

}  // namespace

std::vector<ModelInfo> model_table(const nlohmann::json& overrides) {
    std::vector<ModelInfo> table = builtin();
    if (!overrides.is_object()) return table;
    for (const auto& [id, o] : overrides.items()) {
        if (!o.is_object()) continue;
        auto it = std::find_if(table.begin(), table.end(), [&](const ModelInfo& m) { return m.id == id; });
        if (it != table.end()) {
            *it = apply(*it, o);
        } else {
            ModelInfo fresh;
            fresh.id = id;
            table.push_back(apply(fresh, o));
        }
    }
    return table;
}

std::optional<ModelInfo> find_model(const std::vector<ModelInfo>& table, const std::string& model) {
    std::map<std::string, ModelInfo> by_prefix;
    for (const auto& m : table) by_prefix[m.id] = m;
    return sdk::llm::find_model(by_prefix, model);
}

}  // namespace cowork::llm_gemini
