// cowork/sdk/jsonrpc.hpp — JSON-RPC 2.0 framing as MCP (and any plugin that
// speaks JSON-RPC to a peer) uses it: tell a received message apart, with a
// reason when it is garbage we must survive, and build replies.
//
// Transport-agnostic; header-only so plugins need nothing beyond the SDK.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::sdk::jsonrpc {

using Json = nlohmann::json;

// JSON-RPC error codes (spec §5.1).
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;

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

namespace detail {
inline Message invalid(Message m, std::string problem) {
    m.kind = Kind::invalid;
    m.problem = std::move(problem);
    return m;
}
inline bool valid_id(const Json& id) { return id.is_string() || id.is_number_integer(); }
}  // namespace detail

// Classifies one parsed JSON value. Batches (arrays) are invalid: MCP
// 2025-06-18 removed JSON-RPC batching.
inline Message classify(const Json& v) {
    Message m;
    if (!v.is_object())
        return detail::invalid(m, v.is_array() ? "batches are not supported (MCP 2025-06-18 removed them); send one message per request"
                                               : "a JSON-RPC message is a JSON object");
    const bool has_id = v.contains("id");
    if (has_id && detail::valid_id(v["id"])) m.id = v["id"];
    if (v.value("jsonrpc", "") != "2.0") return detail::invalid(m, "\"jsonrpc\" must be \"2.0\"");
    if (has_id && !detail::valid_id(v["id"])) return detail::invalid(m, "\"id\" must be a string or an integer");
    if (v.contains("method")) {
        if (!v["method"].is_string()) return detail::invalid(m, "\"method\" must be a string");
        m.method = v["method"].get<std::string>();
        if (v.contains("params")) {
            if (!v["params"].is_object()) return detail::invalid(m, "\"params\" must be an object");
            m.params = v["params"];
        }
        m.kind = has_id ? Kind::request : Kind::notification;
        return m;
    }
    if (has_id && (v.contains("result") || (v.contains("error") && v["error"].is_object()))) {
        m.kind = Kind::response;
        m.result = v.value("result", Json());
        m.error = v.value("error", Json());
        return m;
    }
    return detail::invalid(m, "not a request, notification or response (no \"method\", no \"result\"/\"error\")");
}

inline Json request(const Json& id, const std::string& method, const Json& params = nullptr) {
    Json m{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) m["params"] = params;
    return m;
}

inline Json notification(const std::string& method, const Json& params = nullptr) {
    Json m{{"jsonrpc", "2.0"}, {"method", method}};
    if (!params.is_null()) m["params"] = params;
    return m;
}

inline Json result(const Json& id, Json r) { return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(r)}}; }

inline Json error(const Json& id, int code, const std::string& message, const Json& data = nullptr) {
    Json e{{"code", code}, {"message", message}};
    if (!data.is_null()) e["data"] = data;
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(e)}};
}

// "-32601 Method not found" from a response's error member, for messages.
inline std::string describe_error(const Json& error) {
    if (!error.is_object()) return "malformed error";
    std::string text = std::to_string(error.value("code", 0));
    const std::string message = error.contains("message") && error["message"].is_string() ? error["message"].get<std::string>() : "";
    if (!message.empty()) text += " " + message;
    return text;
}

// Serializes for the wire; invalid UTF-8 from tools is replaced, never thrown.
inline std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace cowork::sdk::jsonrpc
