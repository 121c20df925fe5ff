// kernel/bin/cli/mcp_serve.hpp — `cowork mcp serve`: MCP over stdio.
#pragma once

#include "bin/cli/args.hpp"

#include <functional>

namespace cowork::kernel::cli {

// Boots the kernel in-process with every plugin started and hands the
// process's stdin/stdout to frontend.mcp-host (the COWORK_MCP_STDIO_FDS
// hand-off, docs/mcp.md). Before boot, fd 1 is pointed at stderr, so nothing
// but MCP frames can reach the real stdout; fd 0 is pointed at /dev/null, so
// only the host reads the real stdin. Returns when the client closes stdin
// (EOF) or on SIGINT/SIGTERM, after a clean kernel shutdown. Exit status:
// 0 clean, 1 the kernel or the plugin could not start (reason on stderr).
// Honours --config, --plugin-dir and --verbose (kernel log on stderr).
int mcp_serve(const Args& args);

}  // namespace cowork::kernel::cli
