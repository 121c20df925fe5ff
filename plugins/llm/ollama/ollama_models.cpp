#include "ollama_models.hpp"

#include <price_table.hpp>

namespace cowork::ollama {

std::vector<std::string> model_names(const Json& tags) {
    std::vector<std::string> out;
    for (const auto& m : tags.value("models", Json::array())) {
        const std::string name = m.value("name", m.value("model", ""));
        if (!name.empty()) out.push_back(name);
    }
    return out;
}

int64_t context_length(const Json& show) {
    const Json info = show.value("model_info", Json::object());
    const std::string arch = info.value("general.architecture", "");
    if (auto it = info.find(arch + ".context_length"); !arch.empty() && it != info.end() && it->is_number())
        return it->get<int64_t>();
    return 0;
}

Json model_entry(const std::string& id, int64_t context_window, const Json& overrides) {
    sdk::llm::ModelInfo m;
    m.id = id;
    m.context_window = context_window;
    if (overrides.is_object() && overrides.contains(id)) m = llm_common::apply_override(m, overrides[id]);
    return m.to_json();
}

}  // namespace cowork::ollama
