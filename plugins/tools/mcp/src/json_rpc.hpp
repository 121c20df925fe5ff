// json_rpc.hpp — JSON-RPC 2.0 as MCP uses it: building messages and telling
// a received one apart (response, request from the server, notification, or
// garbage we must survive).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::mcp {

using Json = nlohmann::json;

// Standard JSON-RPC error codes the client answers with.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;

enum class MessageKind { response, request, notification, invalid };

// What a parsed JSON value is. A batch (array) is `invalid` here: MCP
// 2025-06-18 removed batching, and callers split arrays themselves.
MessageKind classify(const Json& message);

Json make_request(const Json& id, const std::string& method, const Json& params);
Json make_notification(const std::string& method, const Json& params = nullptr);
Json make_result(const Json& id, const Json& result);
Json make_error(const Json& id, int code, const std::string& message);

// "-32601 Method not found" from a response's error member, for messages.
std::string describe_error(const Json& error);

}  // namespace cowork::mcp
