// The one exported symbol of tool.shell.so.
#include "shell_plugin.hpp"

COWORK_PLUGIN(cowork::shell::ShellPlugin, "tool.shell", "0.1.0");
