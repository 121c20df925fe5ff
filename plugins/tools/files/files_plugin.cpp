// tool.files — the plugin object: a ToolSet filled by the tool groups.
#include "file_tools.hpp"

#include <cowork/sdk/plugin.hpp>

namespace {

using cowork::sdk::Events;
using cowork::sdk::Json;

class FilesPlugin final : public cowork::sdk::Plugin, public cowork::sdk::ToolProvider {
public:
    explicit FilesPlugin(cowork::sdk::Host host) : Plugin(host) {
        cowork::tools::files::add_read_tools(tools_);
        cowork::tools::files::add_write_tools(tools_);
        cowork::tools::files::add_manage_tools(tools_);
        cowork::tools::files::add_listing_tools(tools_);
    }

    Json list_tools(const Json&, Events&) override { return tools_.list(); }
    Json call_tool(const Json& request, Events& events) override { return tools_.call(request, events); }
    Json cancel(const Json& request, Events&) override { return tools_.cancel(request); }

private:
    cowork::tools::ToolSet tools_;
};

}  // namespace

COWORK_PLUGIN(FilesPlugin, "tool.files", "0.1.0");
