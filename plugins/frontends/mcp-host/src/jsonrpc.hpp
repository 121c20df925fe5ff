// jsonrpc.hpp — JSON-RPC 2.0 framing for MCP: classify an incoming message,
// build responses and errors. Transport-agnostic (HTTP and stdio share it).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace cowork::mcp {

using Json = nlohmann::json;

// JSON-RPC error codes (spec §5.1) plus the ones MCP uses.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kResourceNotFound = -32002;  // MCP: resources/read of an unknown URI

enum class Kind { request, notification, response, invalid };

struct Message {
    Kind kind = Kind::invalid;
    Json id;  // null for notifications and unreadable ids
    std::string method;
    Json params = Json::object();
    std::string problem;  // why it is invalid
    Json result;          // a response's "result" (null when it carries "error")
    Json error;           // a response's "error" object (null on success)
};

// Classifies one parsed JSON value. Batches (arrays) are invalid: MCP
// 2025-06-18 removed JSON-RPC batching.
Message classify(const Json& value);

Json result(const Json& id, Json result);
Json error(const Json& id, int code, const std::string& message, const Json& data = nullptr);
Json notification(const std::string& method, Json params);

// Serializes for the wire; invalid UTF-8 from tools is replaced, never thrown.
std::string dump(const Json& j);

}  // namespace cowork::mcp
