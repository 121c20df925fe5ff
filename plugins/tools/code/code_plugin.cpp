// tool.code — glob, grep and edit_file over the task's workspace.
#include "code_tools.hpp"

#include <cowork/sdk/plugin.hpp>

namespace {

using cowork::sdk::Events;
using cowork::sdk::Json;

class CodePlugin final : public cowork::sdk::Plugin, public cowork::sdk::ToolProvider {
public:
    explicit CodePlugin(cowork::sdk::Host host) : Plugin(host) {
        cowork::tools::code::add_glob_tool(tools_);
        cowork::tools::code::add_grep_tool(tools_);
        cowork::tools::code::add_edit_tool(tools_);
    }

    Json list_tools(const Json&, Events&) override { return tools_.list(); }
    Json call_tool(const Json& request, Events& events) override { return tools_.call(request, events); }
    Json cancel(const Json& request, Events&) override { return tools_.cancel(request); }

private:
    cowork::tools::ToolSet tools_;
};

}  // namespace

COWORK_PLUGIN(CodePlugin, "tool.code", "0.1.0");
