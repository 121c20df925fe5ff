// plugins/llm/common/price_table.hpp — the models a provider lists and what
// they cost: its built-in table, merged with the config's `models` overrides.
#pragma once

#include <cowork/sdk/llm/pricing.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cowork::llm_common {

// One override applied to `base`: the snake_case keys of cowork.toml
// (input_per_mtok, context_window, …) or list_models' camelCase, flat or
// under "pricing"; fields not given keep the base values.
sdk::llm::ModelInfo apply_override(sdk::llm::ModelInfo base, const nlohmann::json& override_entry);

class PriceTable {
public:
    PriceTable() = default;
    explicit PriceTable(std::vector<sdk::llm::ModelInfo> builtin) : models_(std::move(builtin)) {}

    // A config entry with a listed id overrides it; other ids are appended
    // (after the built-ins, whose first entry is the default model).
    PriceTable& merge(const nlohmann::json& overrides);

    const std::vector<sdk::llm::ModelInfo>& models() const noexcept { return models_; }

    // Longest-prefix match, so a dated snapshot id finds its family's price.
    std::optional<sdk::llm::ModelInfo> find(const std::string& model) const;

    // US$ of `usage` at the price of `model` (else `fallback_model`); 0 for
    // a model the table does not know.
    double cost(const nlohmann::json& usage, const std::string& model, const std::string& fallback_model = "") const;

    // The list_models answer: {"models":[…]}.
    nlohmann::json list_json() const;

private:
    std::vector<sdk::llm::ModelInfo> models_;
};

}  // namespace cowork::llm_common
