// browser_tools.hpp — the tool table: names, schemas, annotations and the
// handlers that turn arguments into BrowserSession calls.
#pragma once

#include "browser_session.hpp"

#include <cowork_tools/tool_set.hpp>

#include <mutex>

namespace cowork::browser {

// Registers every browser tool on `set`. Handlers lock `mutex` (one browser,
// one call at a time) and start the browser on first use.
void register_browser_tools(tools::ToolSet& set, BrowserSession& session, std::mutex& mutex);

}  // namespace cowork::browser
