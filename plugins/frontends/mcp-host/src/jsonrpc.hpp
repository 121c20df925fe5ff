// jsonrpc.hpp — the host's names for the SDK's JSON-RPC framing
// (cowork/sdk/jsonrpc.hpp, shared with tool.mcp), plus the codes MCP adds.
#pragma once

#include <cowork/sdk/jsonrpc.hpp>

namespace cowork::mcp {

using Json = nlohmann::json;
using namespace cowork::sdk::jsonrpc;  // Kind, Message, classify, result, error, notification, dump, codes

inline constexpr int kResourceNotFound = -32002;  // MCP: resources/read of an unknown URI

}  // namespace cowork::mcp
