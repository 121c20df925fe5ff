// tool.code — glob, grep and edit_file over the task's workspace.
#include "code_tools.hpp"

#include "cowork_tools/tool_set_plugin.hpp"

namespace {

class CodePlugin final : public cowork::tools::ToolSetPlugin {
public:
    explicit CodePlugin(cowork::sdk::Host host) : ToolSetPlugin(host) {
        cowork::tools::code::add_glob_tool(tools());
        cowork::tools::code::add_grep_tool(tools());
        cowork::tools::code::add_edit_tool(tools());
    }
};

}  // namespace

COWORK_PLUGIN(CodePlugin, "tool.code", "0.1.0");
