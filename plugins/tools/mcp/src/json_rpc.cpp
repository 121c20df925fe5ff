#include "json_rpc.hpp"

namespace cowork::mcp {

MessageKind classify(const Json& m) {
    if (!m.is_object() || m.value("jsonrpc", "") != "2.0") return MessageKind::invalid;
    const bool has_id = m.contains("id") && (m["id"].is_string() || m["id"].is_number_integer());
    if (m.contains("method")) {
        if (!m["method"].is_string()) return MessageKind::invalid;
        return has_id ? MessageKind::request : MessageKind::notification;
    }
    if (has_id && (m.contains("result") || (m.contains("error") && m["error"].is_object())))
        return MessageKind::response;
    return MessageKind::invalid;
}

Json make_request(const Json& id, const std::string& method, const Json& params) {
    Json m{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) m["params"] = params;
    return m;
}

Json make_notification(const std::string& method, const Json& params) {
    Json m{{"jsonrpc", "2.0"}, {"method", method}};
    if (!params.is_null()) m["params"] = params;
    return m;
}

Json make_result(const Json& id, const Json& result) { return {{"jsonrpc", "2.0"}, {"id", id}, {"result", result}}; }

Json make_error(const Json& id, int code, const std::string& message) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

std::string describe_error(const Json& error) {
    if (!error.is_object()) return "malformed error";
    std::string text = std::to_string(error.value("code", 0));
    const std::string message = error.contains("message") && error["message"].is_string() ? error["message"].get<std::string>() : "";
    if (!message.empty()) text += " " + message;
    return text;
}

}  // namespace cowork::mcp
