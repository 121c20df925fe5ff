// json_rpc.hpp — the client's names for the SDK's JSON-RPC framing
// (cowork/sdk/jsonrpc.hpp, shared with frontend.mcp-host): `rpc::classify`
// tells a received message apart (response, request from the server,
// notification, or garbage we must survive); `rpc::request`, `rpc::result`, …
// build messages.
#pragma once

#include <cowork/sdk/jsonrpc.hpp>

namespace cowork::mcp {

using Json = nlohmann::json;
namespace rpc = cowork::sdk::jsonrpc;
using rpc::kInternalError;
using rpc::kInvalidParams;
using rpc::kInvalidRequest;
using rpc::kMethodNotFound;
using rpc::kParseError;

// An outgoing message that expects an answer.
inline bool is_request(const Json& m) { return m.is_object() && m.contains("method") && m.contains("id"); }

}  // namespace cowork::mcp
