// The exported entry point; everything else lives in cowork_tool_browser_core.
#include "browser_plugin.hpp"

COWORK_PLUGIN(cowork::browser::BrowserPlugin, "tool.browser", "0.1.0")
;
