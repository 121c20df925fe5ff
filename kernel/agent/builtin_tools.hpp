// kernel/agent/builtin_tools.hpp — tools the runtime itself offers the model:
// a plan with steps (so progress is visible and survives a resume) and a
// way to ask the user a question (the task is `blocked` until answered).
#pragma once

#include "core/result.hpp"

#include <string>

namespace cowork::kernel::agent::builtin {

inline constexpr const char* kPlan = "cowork.plan";
inline constexpr const char* kUpdateStep = "cowork.update_step";
inline constexpr const char* kRequestUserInput = "cowork.request_user_input";

bool is_builtin(const std::string& tool);
// cowork.llm/1 tool entries.
Json specs();

// cowork.plan {description?, steps:[{description, status?}]}: sets or
// revises the plan. Returns the confirmation the model sees.
Result<std::string> set_plan(Json& plan, const Json& args);
// cowork.update_step {step: n (1-based), status, note?}.
Result<std::string> update_step(Json& plan, const Json& args);

}  // namespace cowork::kernel::agent::builtin
