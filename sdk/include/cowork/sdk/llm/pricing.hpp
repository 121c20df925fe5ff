// cowork/sdk/llm/pricing.hpp — what a call cost, from a per-model price table.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace cowork::sdk::llm {

// US dollars per million tokens.
struct Pricing {
    double input_per_mtok = 0;
    double output_per_mtok = 0;
    double cache_read_per_mtok = 0;
    double cache_write_per_mtok = 0;

    nlohmann::json to_json() const {
        return {{"inputPerMTok", input_per_mtok}, {"outputPerMTok", output_per_mtok},
                {"cacheReadPerMTok", cache_read_per_mtok}, {"cacheWritePerMTok", cache_write_per_mtok}};
    }
    static Pricing from_json(const nlohmann::json& j) {
        return {j.value("inputPerMTok", 0.0), j.value("outputPerMTok", 0.0), j.value("cacheReadPerMTok", 0.0),
                j.value("cacheWritePerMTok", 0.0)};
    }
};

struct ModelInfo {
    std::string id;
    int64_t context_window = 0;
    int64_t max_output_tokens = 0;
    Pricing pricing;
    nlohmann::json to_json() const {
        return {{"id", id}, {"contextWindow", context_window}, {"maxOutputTokens", max_output_tokens},
                {"pricing", pricing.to_json()}};
    }
};

// usage: {"inputTokens","outputTokens","cacheReadTokens","cacheWriteTokens"}
inline double cost_usd(const nlohmann::json& usage, const Pricing& p) {
    auto n = [&](const char* k) { return static_cast<double>(usage.value(k, int64_t{0})); };
    return (n("inputTokens") * p.input_per_mtok + n("outputTokens") * p.output_per_mtok +
            n("cacheReadTokens") * p.cache_read_per_mtok + n("cacheWriteTokens") * p.cache_write_per_mtok) /
           1e6;
}

// Longest-prefix lookup, so "gpt-4o-mini-2024-07-18" finds "gpt-4o-mini".
inline std::optional<ModelInfo> find_model(const std::map<std::string, ModelInfo>& table, const std::string& model) {
    std::optional<ModelInfo> best;
    size_t best_len = 0;
    for (const auto& [prefix, info] : table)
        if (model.rfind(prefix, 0) == 0 && prefix.size() >= best_len) {
            best = info;
            best_len = prefix.size();
        }
    return best;
}

}  // namespace cowork::sdk::llm
