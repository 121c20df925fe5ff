#include "agent/settings.hpp"

#include <algorithm>

namespace cowork::kernel::agent {
namespace {

// The smaller positive limit; 0 on one side means that side sets none.
template <class T>
T tighter(T configured, const Json& request, const char* key) {
    if (!request.contains(key) || !request[key].is_number()) return configured;
    const T asked = request[key].get<T>();
    if (asked <= 0) return configured;
    return configured <= 0 ? asked : std::min(configured, asked);
}

}  // namespace

Json Budget::to_json() const {
    return {{"maxIterations", max_iterations},
            {"maxTokens", max_tokens},
            {"maxCostUsd", max_cost_usd},
            {"maxWallTimeS", max_wall_time_s}};
}

Budget Budget::narrowed_by(const Json& request) const {
    if (!request.is_object()) return *this;
    Budget b = *this;
    b.max_iterations = tighter(max_iterations, request, "maxIterations");
    b.max_tokens = tighter(max_tokens, request, "maxTokens");
    b.max_cost_usd = tighter(max_cost_usd, request, "maxCostUsd");
    b.max_wall_time_s = tighter(max_wall_time_s, request, "maxWallTimeS");
    return b;
}

}  // namespace cowork::kernel::agent
