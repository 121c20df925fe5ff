// kernel/agent/guardrails.hpp — runaway protection for one task: budgets,
// repeated identical tool calls, and turns that make no progress.
#pragma once

#include "agent/settings.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cowork::kernel::agent {

struct Usage {
    int64_t input_tokens = 0;
    int64_t output_tokens = 0;
    double cost_usd = 0;
    int64_t iterations = 0;  // LLM calls made for the task

    int64_t tokens() const { return input_tokens + output_tokens; }
    void add_call(const Json& result);  // usage + costUsd of one cowork.llm/1 result
    Json to_json() const;
};

// The reason the budget is spent, or nullopt. Checked before each LLM call.
std::optional<std::string> budget_exceeded(const Budget& budget, const Usage& usage, std::chrono::seconds elapsed);

// Same tool + same normalized arguments (nlohmann sorts object keys, so
// the dump is canonical) counted per task.
class LoopDetector {
public:
    enum class Verdict { ok, warn, stop };
    LoopDetector(int warn_after, int stop_after) : warn_after_(warn_after), stop_after_(stop_after) {}
    Verdict record(const std::string& tool, const Json& arguments);
    int count(const std::string& tool, const Json& arguments) const;

private:
    int warn_after_, stop_after_;
    std::map<std::string, int> counts_;
    std::set<std::string> warned_;
};

// Trips after N consecutive tool turns where every result was an error or
// repeated an earlier result exactly (nothing new was learned).
class ProgressTracker {
public:
    explicit ProgressTracker(int limit) : limit_(limit) {}
    struct Result {
        std::string text;
        bool is_error = false;
    };
    // true: the breaker trips now.
    bool record_turn(const std::vector<Result>& results);
    int stale_turns() const { return stale_; }

private:
    int limit_;
    int stale_ = 0;
    std::set<size_t> seen_;
};

}  // namespace cowork::kernel::agent
