#include "models.hpp"

#include <algorithm>
#include <map>

namespace cowork::llm_anthropic {
namespace {

using sdk::llm::ModelInfo;
using sdk::llm::Pricing;

// US$ per million tokens, from Anthropic's pricing page as of 2026-11-25
// (platform.claude.com/docs/en/about-claude/pricing). "cache write" is the
// 5-minute ephemeral write, the only kind this plugin asks for. Haiku 5.5 is
// priced by prompt length; its lower (<= 100k tokens) band is listed.
// Prices change: override them in config rather than trusting this table.
const std::vector<ModelInfo>& builtin() {
    static const std::vector<ModelInfo> table = {
        {"claude-sonnet-5-5", 1'000'000, 128'000, {2.00, 10.00, 0.10, 2.50}},
        {"claude-opus-5-5", 1'000'000, 128'000, {4.00, 20.00, 0.20, 5.00}},
        {"claude-haiku-5-5", 1'000'000, 128'000, {0.10, 0.50, 0.01, 0.125}},
        {"claude-sonnet-5", 1'000'000, 128'000, {2.00, 10.00, 0.20, 2.50}},
        {"claude-opus-5", 1'000'000, 128'000, {5.00, 25.00, 0.50, 6.25}},
        {"claude-haiku-4-5", 200'000, 64'000, {1.00, 5.00, 0.10, 1.25}},
        {"claude-sonnet-4-5", 200'000, 64'000, {3.00, 15.00, 0.30, 3.75}},
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

}  // namespace cowork::llm_anthropic
