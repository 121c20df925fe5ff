// pagination.hpp — opaque cursors over a list the host already holds.
#pragma once

#include "jsonrpc.hpp"

#include <string>

namespace cowork::mcp {

// {<key>: the page, nextCursor?: …}. `params.cursor` must be a cursor this
// host issued; anything else is RpcError(kInvalidParams).
Json paginate(const Json& items, const Json& params, size_t page_size, const std::string& key);

}  // namespace cowork::mcp
