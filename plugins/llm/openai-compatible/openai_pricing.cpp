#include "openai_pricing.hpp"

namespace cowork::openai {
namespace {

sdk::llm::ModelInfo model(const char* id, int64_t context, int64_t max_out, double in, double out, double cached) {
    sdk::llm::ModelInfo m;
    m.id = id;
    m.context_window = context;
    m.max_output_tokens = max_out;
    m.pricing = {in, out, cached, 0};
    return m;
}

// First the snake_case key of cowork.toml, then list_models' camelCase.
template <class T>
void read(const Json& j, const char* snake, const char* camel, T& into) {
    for (const char* k : {snake, camel})
        if (auto it = j.find(k); it != j.end() && it->is_number()) {
            into = it->get<T>();
            return;
        }
}

}  // namespace

const ModelTable& builtin_models() {
    static const ModelTable table = [] {
        ModelTable t;
        for (auto m : {
                 model("gpt-5", 400'000, 128'000, 1.25, 10.00, 0.125),
                 model("gpt-5-mini", 400'000, 128'000, 0.25, 2.00, 0.025),
                 model("gpt-5-nano", 400'000, 128'000, 0.05, 0.40, 0.005),
                 model("gpt-4.1", 1'047'576, 32'768, 2.00, 8.00, 0.50),
                 model("gpt-4.1-mini", 1'047'576, 32'768, 0.40, 1.60, 0.10),
                 model("gpt-4.1-nano", 1'047'576, 32'768, 0.10, 0.40, 0.025),
                 model("gpt-4o", 128'000, 16'384, 2.50, 10.00, 1.25),
                 model("gpt-4o-mini", 128'000, 16'384, 0.15, 0.60, 0.075),
                 model("o3", 200'000, 100'000, 2.00, 8.00, 0.50),
                 model("o3-mini", 200'000, 100'000, 1.10, 4.40, 0.55),
                 model("o4-mini", 200'000, 100'000, 1.10, 4.40, 0.275),
             })
            t[m.id] = m;
        return t;
    }();
    return table;
}

void apply_overrides(ModelTable& table, const Json& overrides) {
    if (!overrides.is_object()) return;
    for (const auto& [id, j] : overrides.items()) {
        if (!j.is_object()) continue;
        sdk::llm::ModelInfo m = table.count(id) ? table[id] : sdk::llm::ModelInfo{};
        m.id = id;
        read(j, "context_window", "contextWindow", m.context_window);
        read(j, "max_output_tokens", "maxOutputTokens", m.max_output_tokens);
        read(j, "input_per_mtok", "inputPerMTok", m.pricing.input_per_mtok);
        read(j, "output_per_mtok", "outputPerMTok", m.pricing.output_per_mtok);
        read(j, "cache_read_per_mtok", "cacheReadPerMTok", m.pricing.cache_read_per_mtok);
        if (j.contains("pricing")) {
            read(j["pricing"], "input_per_mtok", "inputPerMTok", m.pricing.input_per_mtok);
            read(j["pricing"], "output_per_mtok", "outputPerMTok", m.pricing.output_per_mtok);
            read(j["pricing"], "cache_read_per_mtok", "cacheReadPerMTok", m.pricing.cache_read_per_mtok);
        }
        table[id] = m;
    }
}

}  // namespace cowork::openai
