#include "agent/guardrails.hpp"

#include <functional>

namespace cowork::kernel::agent {

void Usage::add_call(const Json& result) {
    if (result.value("purpose", "turn") == "turn") ++iterations;  // a compaction summary is not a turn
    const Json u = result.value("usage", Json::object());
    if (u.is_object()) {
        input_tokens += u.value("inputTokens", int64_t{0});
        output_tokens += u.value("outputTokens", int64_t{0});
    }
    if (result.contains("costUsd") && result["costUsd"].is_number()) cost_usd += result["costUsd"].get<double>();
}

Json Usage::to_json() const {
    return {{"inputTokens", input_tokens}, {"outputTokens", output_tokens}, {"costUsd", cost_usd}, {"iterations", iterations}};
}

std::optional<std::string> budget_exceeded(const Budget& b, const Usage& u, std::chrono::seconds elapsed) {
    if (b.max_iterations > 0 && u.iterations >= b.max_iterations)
        return "iteration budget spent: " + std::to_string(u.iterations) + " LLM turns (limit " +
               std::to_string(b.max_iterations) + "; raise budget.maxIterations or [agent] max_iterations)";
    if (b.max_tokens > 0 && u.tokens() >= b.max_tokens)
        return "token budget spent: " + std::to_string(u.tokens()) + " tokens (limit " + std::to_string(b.max_tokens) +
               "; raise budget.maxTokens or [agent] max_tokens)";
    if (b.max_cost_usd > 0 && u.cost_usd >= b.max_cost_usd)
        return "cost budget spent: $" + std::to_string(u.cost_usd) + " (limit $" + std::to_string(b.max_cost_usd) +
               "; raise budget.maxCostUsd or [agent] max_cost_usd)";
    if (b.max_wall_time_s > 0 && elapsed.count() >= b.max_wall_time_s)
        return "time budget spent: " + std::to_string(elapsed.count()) + " s (limit " +
               std::to_string(b.max_wall_time_s) + " s; raise budget.maxWallTimeS or [agent] max_wall_time_s)";
    return std::nullopt;
}

LoopDetector::Verdict LoopDetector::record(const std::string& tool, const Json& arguments) {
    const std::string key = tool + "\n" + arguments.dump();
    const int n = ++counts_[key];
    if (n >= stop_after_) return Verdict::stop;
    if (n >= warn_after_ && warned_.insert(key).second) return Verdict::warn;
    return Verdict::ok;
}

int LoopDetector::count(const std::string& tool, const Json& arguments) const {
    auto it = counts_.find(tool + "\n" + arguments.dump());
    return it == counts_.end() ? 0 : it->second;
}

bool ProgressTracker::record_turn(const std::vector<Result>& results) {
    if (results.empty()) return false;
    bool learned = false;
    for (const auto& r : results) {
        const bool fresh = seen_.insert(std::hash<std::string>{}(r.text)).second;
        if (!r.is_error && fresh) learned = true;
    }
    stale_ = learned ? 0 : stale_ + 1;
    return limit_ > 0 && stale_ >= limit_;
}

}  // namespace cowork::kernel::agent
