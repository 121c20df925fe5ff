// The exported entry point; everything else lives in cowork_tool_mcp_core.
#include "mcp_plugin.hpp"

COWORK_PLUGIN(cowork::mcp::McpPlugin, "tool.mcp", "0.1.0");
