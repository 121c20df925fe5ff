// The exported entry point; everything else lives in cowork_tool_web_core.
#include "web_plugin.hpp"

COWORK_PLUGIN(cowork::web::WebPlugin, "tool.web", "0.1.0");
