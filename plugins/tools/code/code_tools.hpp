// code_tools.hpp — each tool of tool.code registers itself here.
#pragma once

#include "cowork_tools/tool_set.hpp"

namespace cowork::tools::code {

void add_glob_tool(ToolSet& tools);
void add_grep_tool(ToolSet& tools);
void add_edit_tool(ToolSet& tools);

}  // namespace cowork::tools::code
