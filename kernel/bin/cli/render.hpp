// kernel/bin/cli/render.hpp — how API results look to a person.
#pragma once

#include "core/result.hpp"

#include <ostream>
#include <string>

namespace cowork::kernel::cli {

// plugin.list → one line per plugin: id, version, state, reason.
void render_plugins(std::ostream& out, const Json& plugins);
// doctor → one line per check with ok/warn/fail and what to do next.
void render_doctor(std::ostream& out, const Json& report);
// tool.list → one line per tool.
void render_tools(std::ostream& out, const Json& tools);
// task.list → one line per task.
void render_tasks(std::ostream& out, const Json& list);
// skill.list → one line per skill with its parameters.
void render_skills(std::ostream& out, const Json& catalog);
// approval.list → one line per pending approval and how to answer.
void render_approvals(std::ostream& out, const Json& list);
// Anything else: indented JSON.
void render_generic(std::ostream& out, const Json& value);
// An error, with its code and the hint to run --help where it helps.
void render_error(std::ostream& out, const Error& error, bool json);

}  // namespace cowork::kernel::cli
