#include "openai_pricing.hpp"

namespace cowork::openai {

llm_common::PriceTable builtin_models() {
    // {id, context window, max output, {input, output, cached input, cache write}}
    static const std::vector<sdk::llm::ModelInfo> table = {
        {"gpt-5", 400'000, 128'000, {1.25, 10.00, 0.125, 0}},
        {"gpt-5-mini", 400'000, 128'000, {0.25, 2.00, 0.025, 0}},
        {"gpt-5-nano", 400'000, 128'000, {0.05, 0.40, 0.005, 0}},
        {"gpt-4.1", 1'047'576, 32'768, {2.00, 8.00, 0.50, 0}},
        {"gpt-4.1-mini", 1'047'576, 32'768, {0.40, 1.60, 0.10, 0}},
        {"gpt-4.1-nano", 1'047'576, 32'768, {0.10, 0.40, 0.025, 0}},
        {"gpt-4o", 128'000, 16'384, {2.50, 10.00, 1.25, 0}},
        {"gpt-4o-mini", 128'000, 16'384, {0.15, 0.60, 0.075, 0}},
        {"o3", 200'000, 100'000, {2.00, 8.00, 0.50, 0}},
        {"o3-mini", 200'000, 100'000, {1.10, 4.40, 0.55, 0}},
        {"o4-mini", 200'000, 100'000, {1.10, 4.40, 0.275, 0}},
    };
    return llm_common::PriceTable(table);
}

}  // namespace cowork::openai
