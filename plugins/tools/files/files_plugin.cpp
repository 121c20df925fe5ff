// tool.files — the plugin object: a ToolSet filled by the tool groups.
#include "file_tools.hpp"

#include "cowork_tools/tool_set_plugin.hpp"

namespace {

class FilesPlugin final : public cowork::tools::ToolSetPlugin {
public:
    explicit FilesPlugin(cowork::sdk::Host host) : ToolSetPlugin(host) {
        cowork::tools::files::add_read_tools(tools());
        cowork::tools::files::add_write_tools(tools());
        cowork::tools::files::add_manage_tools(tools());
        cowork::tools::files::add_listing_tools(tools());
    }
};

}  // namespace

COWORK_PLUGIN(FilesPlugin, "tool.files", "0.1.0");
