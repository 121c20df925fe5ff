// web_tools.hpp — registers web_fetch and web_search on a ToolSet.
#pragma once

#include "fetcher.hpp"
#include "search_router.hpp"

#include <cowork_tools/tool_set.hpp>

namespace cowork::web {

inline constexpr uint64_t kDefaultMaxBytes = 2ull << 20;
inline constexpr uint64_t kHardMaxBytes = 10ull << 20;

void register_web_fetch(tools::ToolSet& tools, const Fetcher& fetcher);
void register_web_search(tools::ToolSet& tools, const SearchRouter& router);

}  // namespace cowork::web
