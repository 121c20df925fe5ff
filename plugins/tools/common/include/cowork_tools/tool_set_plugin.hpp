// cowork_tools/tool_set_plugin.hpp — a tool plugin that is nothing but a
// ToolSet: derive, fill tools() in the constructor, export with COWORK_PLUGIN.
#pragma once

#include "cowork_tools/tool_set.hpp"

#include <cowork/sdk/plugin.hpp>

namespace cowork::tools {

class ToolSetPlugin : public sdk::Plugin, public sdk::ToolProvider {
public:
    explicit ToolSetPlugin(sdk::Host host) : Plugin(host) {}

    sdk::Json list_tools(const sdk::Json&, sdk::Events&) override { return tools_.list(); }
    sdk::Json call_tool(const sdk::Json& request, sdk::Events& events) override { return tools_.call(request, events); }
    sdk::Json cancel(const sdk::Json& request, sdk::Events&) override { return tools_.cancel(request); }

protected:
    ToolSet& tools() { return tools_; }

private:
    ToolSet tools_;
};

}  // namespace cowork::tools
